//! Shorthands over the `openapiv3` model: schemas, parameters, responses and operations, so that
//! the protocol files read as the API they describe rather than as nested struct literals.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, ArrayType, BooleanType, Header, HeaderStyle, IntegerType,
    MediaType, NumberType, ObjectType, Operation, Parameter, ParameterData,
    ParameterSchemaOrContent, PathStyle, QueryStyle, ReferenceOr, RequestBody, Response, Responses,
    Schema, SchemaData, SchemaKind, StatusCode, StringType, Type,
};

/// A schema or a reference to one in `components/schemas`.
pub type S = ReferenceOr<Schema>;

/// `#/components/schemas/{name}`.
pub fn sref(name: &str) -> S {
    ReferenceOr::ref_(&format!("#/components/schemas/{name}"))
}

fn boxed(s: S) -> ReferenceOr<Box<Schema>> {
    match s {
        ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference },
        ReferenceOr::Item(i) => ReferenceOr::Item(Box::new(i)),
    }
}

fn item(kind: SchemaKind) -> S {
    ReferenceOr::Item(Schema {
        schema_data: SchemaData::default(),
        schema_kind: kind,
    })
}

fn typed(t: Type) -> S {
    item(SchemaKind::Type(t))
}

pub fn string() -> S {
    typed(Type::String(StringType::default()))
}

pub fn string_enum(values: &[&str]) -> S {
    typed(Type::String(StringType {
        enumeration: values.iter().map(|v| Some(v.to_string())).collect(),
        ..StringType::default()
    }))
}

pub fn integer() -> S {
    typed(Type::Integer(IntegerType::default()))
}

pub fn boolean() -> S {
    typed(Type::Boolean(BooleanType::default()))
}

/// A JSON-schema type as a service's swagger names it (`number/double`, `integer/int32`,
/// `string/date-time`, ...); anything else is any value.
pub fn of_swagger_type(ty: &str) -> S {
    let (t, format) = ty.split_once('/').unwrap_or((ty, ""));
    let format = (!format.is_empty()).then(|| format.to_string());
    match t {
        "string" => typed(Type::String(StringType {
            format: format.into(),
            ..StringType::default()
        })),
        "number" => typed(Type::Number(NumberType {
            format: format.into(),
            ..NumberType::default()
        })),
        "integer" => typed(Type::Integer(IntegerType {
            format: format.into(),
            ..IntegerType::default()
        })),
        "boolean" => boolean(),
        _ => any(),
    }
}

/// Any JSON value, `null` included.
pub fn any() -> S {
    nullable(item(SchemaKind::Any(AnySchema::default())))
}

pub fn array(items: S) -> S {
    typed(Type::Array(ArrayType {
        items: Some(boxed(items)),
        min_items: None,
        max_items: None,
        unique_items: false,
    }))
}

/// An object with these properties, of which `required` must be present.
pub fn object(props: Vec<(&str, S)>, required: &[&str]) -> S {
    typed(Type::Object(ObjectType {
        properties: props
            .into_iter()
            .map(|(k, v)| (k.to_string(), boxed(v)))
            .collect(),
        required: required.iter().map(|r| r.to_string()).collect(),
        ..ObjectType::default()
    }))
}

/// An object whose every property is a `values`: a map by name.
pub fn map(values: S) -> S {
    typed(Type::Object(ObjectType {
        additional_properties: Some(AdditionalProperties::Schema(Box::new(values))),
        ..ObjectType::default()
    }))
}

pub fn one_of(options: Vec<S>) -> S {
    item(SchemaKind::OneOf { one_of: options })
}

/// The schema with a description (a reference is returned as it is: `$ref` takes no siblings
/// in OpenAPI 3.0).
pub fn described(s: S, text: &str) -> S {
    edit(s, |d| d.description = Some(text.to_string()))
}

pub fn nullable(s: S) -> S {
    edit(s, |d| d.nullable = true)
}

pub fn with_example(s: S, example: serde_json::Value) -> S {
    edit(s, |d| d.example = Some(example))
}

fn edit(s: S, f: impl FnOnce(&mut SchemaData)) -> S {
    match s {
        ReferenceOr::Item(mut i) => {
            f(&mut i.schema_data);
            ReferenceOr::Item(i)
        }
        r => r,
    }
}

fn data(name: &str, description: &str, required: bool, schema: S) -> ParameterData {
    ParameterData {
        name: name.to_string(),
        description: Some(description.to_string()),
        required,
        deprecated: None,
        format: ParameterSchemaOrContent::Schema(schema),
        example: None,
        examples: IndexMap::new(),
        explode: None,
        extensions: IndexMap::new(),
    }
}

/// A path parameter (always required), with an example value when one is known.
pub fn path_param(name: &str, description: &str, example: Option<&str>) -> Parameter {
    let mut d = data(name, description, true, string());
    d.example = example.map(|e| serde_json::Value::String(e.to_string()));
    Parameter::Path {
        parameter_data: d,
        style: PathStyle::Simple,
    }
}

pub fn query_param(name: &str, description: &str, required: bool, schema: S) -> Parameter {
    Parameter::Query {
        parameter_data: data(name, description, required, schema),
        allow_reserved: false,
        style: QueryStyle::Form,
        allow_empty_value: None,
    }
}

pub fn header_param(name: &str, description: &str, example: Option<&str>) -> Parameter {
    let mut d = data(name, description, false, string());
    d.example = example.map(|e| serde_json::Value::String(e.to_string()));
    Parameter::Header {
        parameter_data: d,
        style: HeaderStyle::Simple,
    }
}

/// `#/components/parameters/{name}`.
pub fn pref(name: &str) -> ReferenceOr<Parameter> {
    ReferenceOr::ref_(&format!("#/components/parameters/{name}"))
}

/// `#/components/responses/{name}`.
pub fn rref(name: &str) -> ReferenceOr<Response> {
    ReferenceOr::ref_(&format!("#/components/responses/{name}"))
}

fn content(media: &[&str], schema: S) -> IndexMap<String, MediaType> {
    media
        .iter()
        .map(|m| {
            (
                m.to_string(),
                MediaType {
                    schema: Some(schema.clone()),
                    ..MediaType::default()
                },
            )
        })
        .collect()
}

/// A response whose body is JSON of `schema` (none: no body).
pub fn response(description: &str, schema: Option<S>) -> Response {
    Response {
        description: description.to_string(),
        content: schema
            .map(|s| content(&["application/json"], s))
            .unwrap_or_default(),
        ..Response::default()
    }
}

/// A response with a header (`Retry-After` of the gateway's limits).
pub fn with_header(mut r: Response, name: &str, description: &str, schema: S) -> Response {
    r.headers.insert(
        name.to_string(),
        ReferenceOr::Item(Header {
            description: Some(description.to_string()),
            style: HeaderStyle::Simple,
            required: false,
            deprecated: None,
            format: ParameterSchemaOrContent::Schema(schema),
            example: None,
            examples: IndexMap::new(),
            extensions: IndexMap::new(),
        }),
    );
    r
}

/// A required request body of `schema` in each of the media types.
pub fn body(media: &[&str], schema: S) -> RequestBody {
    RequestBody {
        content: content(media, schema),
        required: true,
        ..RequestBody::default()
    }
}

/// An operation: id, summary, parameters, body, its own answers (status and response), the
/// service's error answer as `default`, and the gateway's own answers (§6.3) by reference.
pub struct Op<'a> {
    pub id: &'a str,
    pub summary: &'a str,
    pub params: Vec<ReferenceOr<Parameter>>,
    pub body: Option<RequestBody>,
    pub answers: Vec<(u16, Response)>,
    pub error: S,
}

impl Op<'_> {
    pub fn build(self) -> Operation {
        let mut responses: IndexMap<StatusCode, ReferenceOr<Response>> = self
            .answers
            .into_iter()
            .map(|(code, r)| (StatusCode::Code(code), ReferenceOr::Item(r)))
            .collect();
        for (code, name) in super::GATEWAY_RESPONSES {
            responses
                .entry(StatusCode::Code(*code))
                .or_insert_with(|| rref(name));
        }
        Operation {
            operation_id: Some(self.id.to_string()),
            summary: Some(self.summary.to_string()),
            parameters: self.params,
            request_body: self.body.map(ReferenceOr::Item),
            responses: Responses {
                default: Some(ReferenceOr::Item(response(
                    "An error of the service",
                    Some(self.error),
                ))),
                responses,
                ..Responses::default()
            },
            ..Operation::default()
        }
    }
}
