//! The smallest pieces of an RRS body: names and cells. A cell becomes text the way the
//! service renders it — strings as they are (borrowed from the body when unescaped), numbers in
//! JSON notation, booleans as .NET prints them, `null` as empty text — or is checked and
//! dropped without allocating. Arrays and objects are never cells.

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};
use std::borrow::Cow;
use std::fmt;

/// A string, borrowed when it has no escapes.
pub struct StrSeed;

impl<'de> DeserializeSeed<'de> for StrSeed {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for StrSeed {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// A cell as text: strings as they are, numbers in JSON notation, booleans as .NET prints them
/// (`True`, `False`), `null` as empty text. Arrays and objects are refused.
pub struct CellSeed;

impl<'de> DeserializeSeed<'de> for CellSeed {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for CellSeed {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a cell (a string, number, boolean or null)")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(if v { "True" } else { "False" }))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(""))
    }
}

/// A cell that is read and dropped: any scalar, nothing nested.
pub struct ScalarSeed;

impl<'de> DeserializeSeed<'de> for ScalarSeed {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ScalarSeed {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a cell (a string, number, boolean or null)")
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(json: &str) -> Result<Cow<'_, str>, serde_json::Error> {
        CellSeed.deserialize(&mut serde_json::Deserializer::from_str(json))
    }

    #[test]
    fn scalars_become_text_and_nesting_is_refused() {
        assert_eq!(cell("\"a\"").unwrap(), "a");
        assert!(matches!(cell("\"a\"").unwrap(), Cow::Borrowed(_)));
        assert_eq!(cell("\"a\\nb\"").unwrap(), "a\nb");
        assert_eq!(cell("true").unwrap(), "True");
        assert_eq!(cell("-2").unwrap(), "-2");
        assert_eq!(cell("2.5").unwrap(), "2.5");
        assert_eq!(cell("null").unwrap(), "");
        assert!(cell("[1]").is_err() && cell("{}").is_err());
        let scalar = |j: &str| ScalarSeed.deserialize(&mut serde_json::Deserializer::from_str(j));
        assert!(scalar("1").is_ok() && scalar("\"x\"").is_ok() && scalar("null").is_ok());
        assert!(scalar("[]").is_err() && scalar("{}").is_err());
    }
}
