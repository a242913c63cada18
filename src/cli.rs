//! Every clap type of mlws and nothing else: the command-line contract of `spec/cli.md`.
//! Doc comments are the help text. Values are resolved and validated in `settings.rs`, not here.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Invoke and manage Azure Machine Learning Studio (classic) web services: request-response
/// scoring (RRS), batch execution (BES), behind API Management or not. `mlws serve` runs a
/// local emulator of such a service.
#[derive(Debug, Parser)]
#[command(name = "mlws", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags accepted before or after any subcommand.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Only errors on stderr
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Time limit of each request, in seconds [default: 100]
    #[arg(long, value_name = "SECS", global = true)]
    pub timeout: Option<f64>,
    /// How many times a failed request is retried [default: 5]
    #[arg(long, value_name = "N", global = true)]
    pub retries: Option<u32>,
    /// Output format of results
    #[arg(short = 'f', long, value_enum, value_name = "FORMAT", global = true)]
    pub output_format: Option<OutputFormat>,
    /// Print the request that would be sent (secrets masked) and send nothing
    #[arg(long, global = true)]
    pub dry_run: bool,
    /// Profile of the config file to use [env: MLWS_PROFILE]
    #[arg(long, value_name = "NAME", global = true)]
    pub profile: Option<String>,
    /// Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
    /// Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]
    #[arg(long, value_name = "URL", global = true)]
    pub base_url: Option<String>,
    /// Workspace id [env: MLWS_WORKSPACE]
    #[arg(long, value_name = "ID", global = true)]
    pub workspace: Option<String>,
    /// Service (endpoint) id [env: MLWS_SERVICE]
    #[arg(long, value_name = "ID", global = true)]
    pub service: Option<String>,
    /// Whole service URL: the service root or any operation URL copied from a help page
    /// [env: MLWS_SERVICE_URL]
    #[arg(long, value_name = "URL", global = true)]
    pub service_url: Option<String>,
    /// API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]
    #[arg(long, value_name = "KEY", global = true)]
    pub api_key: Option<String>,
    /// API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]
    #[arg(long, value_name = "KEY", global = true)]
    pub subscription_key: Option<String>,
    /// api-version query value [env: MLWS_API_VERSION] [default: 2.0]
    #[arg(long, value_name = "V", global = true)]
    pub api_version: Option<String>,
    /// Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key
    /// [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]
    #[arg(long, value_name = "CS", global = true)]
    pub storage_connection_string: Option<String>,
    /// Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]
    #[arg(long, value_name = "NAME", global = true)]
    pub container: Option<String>,
    /// Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]
    #[arg(long, value_enum, value_name = "PROTOCOL", global = true)]
    pub protocol: Option<Protocol>,
    /// Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2
    /// `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]
    #[arg(long, value_name = "URL", global = true)]
    pub url: Option<String>,
    /// An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)
    #[arg(long, value_name = "NAME: VALUE", global = true)]
    pub header: Vec<String>,
    /// Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]
    #[arg(long, value_name = "NAME", global = true)]
    pub deployment: Option<String>,
    /// A shell command that prints a bearer token (or `az account get-access-token` JSON);
    /// run when needed and again before the token expires; replaces --api-key
    /// [env: MLWS_TOKEN_COMMAND]
    #[arg(long, value_name = "CMD", global = true)]
    pub token_command: Option<String>,
}

/// The scoring protocols (`spec/adapters.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Protocol {
    /// Azure ML Studio (classic) RRS
    Classic,
    /// MLflow scoring server `/invocations` (also Databricks Model Serving)
    Mlflow,
    /// Azure ML online endpoints and `azmlinfsrv` (`/score`)
    Azureml,
    /// Open Inference Protocol (KServe v2, MLServer, Triton)
    V2,
    /// KServe v1 (`/v1/models/M:predict`)
    #[value(name = "kserve-v1")]
    KserveV1,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Csv,
    Tsv,
    Json,
    Table,
    /// JSON Lines: one object per row and line
    Jsonl,
    /// Parquet, in typed row groups (not to a terminal)
    Parquet,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    Csv,
    Tsv,
    Json,
    /// JSON Lines: one row object per line
    Jsonl,
    /// Parquet, read by row group (stdin is copied to a temporary file first)
    Parquet,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Request-response scoring
    #[command(subcommand)]
    Rrs(RrsCommand),
    /// Score rows through any protocol (the same command as `rrs execute`)
    Score(ExecuteArgs),
    /// Print what the endpoint says about itself: inputs, outputs, parameters
    Describe,
    /// Batch execution jobs
    #[command(subcommand)]
    Bes(BesCommand),
    /// Read and write the config file
    #[command(subcommand)]
    Config(ConfigCommand),
    /// API Management as code: the API's OpenAPI document and policy
    #[command(subcommand)]
    Apim(ApimCommand),
    /// Print a shell completion script
    Completions(CompletionsArgs),
    /// Run a local emulator of the service (RRS, BES, API Management, blob storage)
    ///
    /// The global --workspace, --service, --api-key and --subscription-key flags set the
    /// emulator's ids and keys (random ones when absent; flags only, not env or profile).
    Serve(ServeArgs),
}

#[derive(Debug, Subcommand)]
pub enum RrsCommand {
    /// Score rows: CSV/TSV/JSON in, CSV/TSV/JSON/table out, in input order
    Execute(ExecuteArgs),
}

#[derive(Debug, Clone, Args)]
pub struct ExecuteArgs {
    /// Input file, `-` for stdin
    #[arg(short, long, value_name = "FILE", default_value = "-")]
    pub input: String,
    /// Input format [default: from the file extension, else csv]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,
    /// Field delimiter of CSV input: one character, or `tab` [default: `,`, or `;`, tab or `|`
    /// when the header has no comma and one of them]
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,
    /// Field delimiter of CSV output [default: the input's]
    #[arg(long, value_name = "CHAR")]
    pub output_delimiter: Option<String>,
    /// Encoding of the input (WHATWG labels: utf-8, windows-1250, windows-1252, iso-8859-2,
    /// shift_jis, utf-16le, ...); a byte-order mark wins [default: utf-8]
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
    /// Encoding of the output [default: utf-8]
    #[arg(long, value_name = "LABEL")]
    pub output_encoding: Option<String>,
    /// One row from the command line, a cell per flag (COL=VALUE); replaces --input
    #[arg(long, value_name = "COL=VALUE", conflicts_with_all = ["input", "input_format"])]
    pub record: Vec<String>,
    /// Web service input name (classic: default `input1`; v2 `--body-format tensor`: the
    /// tensor's name, default from the model metadata, else `input-0`)
    #[arg(long, value_name = "NAME")]
    pub input_name: Option<String>,
    /// Web service output to print (classic: default `output1`); v2: an output to ask for
    /// (repeatable)
    #[arg(long, value_name = "NAME")]
    pub output_name: Vec<String>,
    /// A parameter, NAME=VALUE, repeatable (classic `GlobalParameters`, MLflow and Azure ML
    /// `params`, v2 request `parameters`)
    #[arg(long, value_name = "NAME=VALUE")]
    pub param: Vec<String>,
    /// Types of input columns, COL=string|int|float|bool (comma-separated or repeated); they
    /// win over the service's schema and over inference
    #[arg(long, value_name = "COL=TYPE[,...]", value_delimiter = ',')]
    pub types: Vec<String>,
    /// Request body format: mlflow `split|records|csv`, azureml `input-data|data`, v2
    /// `columns|tensor`, kserve-v1 `rows|columns` [default: the first of each]
    #[arg(long, value_name = "FORMAT")]
    pub body_format: Option<String>,
    /// Input columns kept in the output: `all`, `none` or COL[,COL...] [default: all; classic:
    /// none, its service chooses its output columns]
    #[arg(long, value_name = "all|none|COL,...")]
    pub keep: Option<String>,
    /// What to do with rows the service refuses as bad input: stop (`fail`), or isolate them,
    /// score the rest and write them to --failed-rows (`skip`)
    #[arg(long, value_enum, value_name = "ACTION", default_value_t = OnBadRow::Fail)]
    pub on_bad_row: OnBadRow,
    /// Rows per request (requests are also kept under 4 MB)
    #[arg(long, value_name = "ROWS", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
    pub batch_size: u32,
    /// Requests in flight at once
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=256))]
    pub concurrency: u32,
    /// Use `format=swagger` bodies (rows as objects)
    #[arg(long)]
    pub swagger: bool,
    /// Output file, `-` for stdout; written to a temporary file and renamed on success
    #[arg(short, long, value_name = "FILE", default_value = "-")]
    pub output: String,
    /// Write the raw input rows that could not be scored to FILE
    #[arg(long, value_name = "FILE")]
    pub failed_rows: Option<PathBuf>,
    /// Continue an interrupted run with the same --input and --output from its journal
    /// (OUTPUT.mlws-journal): rows already written are not sent again
    #[arg(long)]
    pub resume: bool,
}

/// `--on-bad-row`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnBadRow {
    Fail,
    Skip,
}

#[derive(Debug, Subcommand)]
pub enum BesCommand {
    /// Upload an input (unless it is `container/blob`) and submit a job; prints the job id
    Submit(SubmitArgs),
    /// Start a submitted job
    Start(JobArgs),
    /// Print a job's state (`-f json`: the whole status body)
    Status(StatusArgs),
    /// Delete (cancel) a job
    Delete(JobArgs),
    /// Upload, submit, start, wait and download the result, as the documentation's sample does
    Run(RunArgs),
}

#[derive(Debug, Clone, Args)]
pub struct SubmitArgs {
    /// Local input file, or `container/blob` already in storage
    #[arg(short, long, value_name = "FILE|container/blob")]
    pub input: String,
    /// Web service input name
    #[arg(long, value_name = "NAME", default_value = "input1")]
    pub input_name: String,
    /// Where the service should write output1 (`container/path.csv`)
    #[arg(long, value_name = "container/path")]
    pub output_blob: Option<String>,
    /// A web service parameter (GlobalParameters), NAME=VALUE, repeatable
    #[arg(long, value_name = "NAME=VALUE")]
    pub param: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct JobArgs {
    /// The job id printed by `bes submit`
    pub job_id: String,
}

#[derive(Debug, Clone, Args)]
pub struct StatusArgs {
    /// The job id printed by `bes submit`
    pub job_id: String,
    /// Poll until the job reaches a final state
    #[arg(long)]
    pub wait: bool,
    /// First delay between polls, in seconds (then backing off, capped at 30 s)
    #[arg(long, value_name = "SECS", default_value_t = 1.0)]
    pub poll_interval: f64,
    /// Give up waiting after SECS (exit 7)
    #[arg(long, value_name = "SECS")]
    pub job_timeout: Option<f64>,
}

#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// Local input file (CSV with a header row)
    #[arg(short, long, value_name = "FILE")]
    pub input: PathBuf,
    /// Where to write output1
    #[arg(
        short,
        long,
        value_name = "FILE",
        required_unless_present = "output_dir"
    )]
    pub output: Option<PathBuf>,
    /// Download every output into DIR (as NAME.csv)
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// Web service input name
    #[arg(long, value_name = "NAME", default_value = "input1")]
    pub input_name: String,
    /// A web service parameter (GlobalParameters), NAME=VALUE, repeatable
    #[arg(long, value_name = "NAME=VALUE")]
    pub param: Vec<String>,
    /// First delay between polls, in seconds (then backing off, capped at 30 s)
    #[arg(long, value_name = "SECS", default_value_t = 1.0)]
    pub poll_interval: f64,
    /// Give up (and delete the job) after SECS (exit 7)
    #[arg(long, value_name = "SECS")]
    pub job_timeout: Option<f64>,
    /// Do not delete the job on Ctrl-C or timeout
    #[arg(long)]
    pub keep_job: bool,
    /// Continue an interrupted run with the same `--output` (its progress is kept in
    /// OUTPUT.mlws-journal): blocks already staged are not sent again, a submitted job is
    /// re-attached, a download goes on where it stopped
    #[arg(long, requires = "output")]
    pub resume: bool,
}

#[derive(Debug, Subcommand)]
pub enum ApimCommand {
    /// Write the OpenAPI 3.0 document of the service's API, ready for `az apim api import
    /// --specification-format OpenApiJson`, and with --policy the API's policy XML
    ///
    /// Classic: the five operations of the documentation (`rrs-execute`, `bes-submit`,
    /// `bes-start`, `bes-status`, `bes-delete`), input columns from the service's swagger.json
    /// when it can be read. Other protocols: their scoring, health and metadata operations. The
    /// API URL suffix is given at import (`--path`), not in the document.
    Export(ApimExportArgs),
}

#[derive(Debug, Clone, Args)]
pub struct ApimExportArgs {
    /// Title of the API [default: one naming the protocol]
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// Rate limit of the policy per subscription key, CALLS/SECS (SECS at most 300)
    #[arg(long, value_name = "CALLS/SECS", requires = "policy")]
    pub rate_limit: Option<String>,
    /// Call quota of the policy per subscription key, CALLS/SECS
    #[arg(long, value_name = "CALLS/SECS", requires = "policy")]
    pub quota: Option<String>,
    /// Output file of the document, `-` for stdout; written to a temporary file and renamed
    #[arg(short, long, value_name = "FILE", default_value = "-")]
    pub output: String,
    /// Also write the API's policy XML to FILE: the limits, and `Authorization` set from the
    /// named value `ml-api-key` so that callers need only a subscription key
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Set KEY to VALUE in the selected profile (`default_profile` at the top level)
    Set { key: String, value: String },
    /// Print the value of KEY in the selected profile
    Get { key: String },
    /// Remove KEY from the selected profile
    Unset { key: String },
    /// Print every setting as resolved now
    List {
        /// Show where each value came from (flag, env, profile, default)
        #[arg(long)]
        show_origin: bool,
    },
    /// Print the path of the config file
    Path,
}

#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port)
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8642")]
    pub listen: String,
    /// Put the API Management layer in front, at this URL suffix (e.g. `azureml-demo`); only
    /// with `--protocol classic`
    #[arg(long, value_name = "SUFFIX")]
    pub apim_suffix: Option<String>,
    /// Rate limit of the API Management layer per subscription key, CALLS/SECS (429 + Retry-After)
    #[arg(long, value_name = "CALLS/SECS", requires = "apim_suffix")]
    pub rate_limit: Option<String>,
    /// Call quota of the API Management layer per subscription key, CALLS/SECS (403 + Retry-After)
    #[arg(long, value_name = "CALLS/SECS", requires = "apim_suffix")]
    pub quota: Option<String>,
    /// Build the API Management layer from this OpenAPI document (`mlws apim export`): only its
    /// operations are routed, anything else gets the gateway's 404
    #[arg(long, value_name = "FILE", requires = "apim_suffix")]
    pub apim_definition: Option<PathBuf>,
    /// Apply this API Management policy XML: its rate-limit, quota and set-header (the named
    /// value `ml-api-key` is the emulator's API key)
    #[arg(long, value_name = "FILE", requires = "apim_suffix")]
    pub apim_policy: Option<PathBuf>,
    /// Default "Hashing bitsize" of the experiment (1-31)
    #[arg(long, value_name = "BITS", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=31))]
    pub bits: u32,
    /// Default "N-grams" of the experiment (0-10)
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u32).range(0..=10))]
    pub ngrams: u32,
    /// Concurrent scoring requests per endpoint before 503 RequestThrottled
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub max_concurrency: usize,
    /// Account name of the blob endpoint (served at /NAME/...)
    #[arg(long, value_name = "NAME", default_value = "mlwsemulator")]
    pub storage_account: String,
    /// Account key of the blob endpoint, base64 [default: random]
    #[arg(long, value_name = "KEY")]
    pub storage_key: Option<String>,
    /// Directory where the blob endpoint keeps its data, in a subdirectory removed on exit
    /// [default: the system's temporary directory]
    #[arg(long, value_name = "DIR")]
    pub blob_dir: Option<PathBuf>,
    /// Largest blob the blob endpoint accepts: bytes, or with a K, M or G suffix (powers of 1024)
    #[arg(long, value_name = "SIZE", default_value = "4G")]
    pub max_blob_size: String,
    /// How BES status bodies are written: StatusCode names with `Results` (default), ints 0-4
    /// with `Results` (int), or ints with the 2015-era singular `Result` (legacy)
    #[arg(long, value_name = "STYLE", value_enum, default_value_t = BesStatusStyle::Default)]
    pub bes_status_style: BesStatusStyle,
    /// Seconds a started batch job stays Running before it does its work
    #[arg(long, value_name = "SECS", default_value_t = 0.0)]
    pub job_delay: f64,
    /// Append a JSON-lines request log to FILE: one line per request once it is answered (or
    /// dropped), with method, path, query, status, fault, sizes, rows scored and job id; keys
    /// appear only as the first 12 hex digits of their SHA-256, bodies never
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// Seconds a client may take to send a request's headers; also how long a kept-alive
    /// connection may stay idle
    #[arg(
        long,
        value_name = "SECS",
        default_value_t = 30.0,
        help_heading = "Timeouts"
    )]
    pub header_timeout: f64,
    /// Window, in seconds, in which a request body must bring at least 1 KiB a second until it
    /// ends; a slower or stalled body is cut off (408) and its connection closed
    #[arg(
        long,
        value_name = "SECS",
        default_value_t = 30.0,
        help_heading = "Timeouts"
    )]
    pub read_timeout: f64,
    /// Seconds writing an answer may make no progress (a client that reads nothing) before the
    /// connection is closed
    #[arg(
        long,
        value_name = "SECS",
        default_value_t = 60.0,
        help_heading = "Timeouts"
    )]
    pub write_timeout: f64,
    /// Seed of the fault generators: the same seed and order of calls give the same faults
    /// [default: random, printed on stderr]
    #[arg(long, value_name = "N", help_heading = "Fault injection")]
    pub fault_seed: Option<u64>,
    /// Fraction (0-1) of RRS calls answered 503 ServiceUnavailable/RequestThrottled, unscored
    #[arg(
        long = "fault-503",
        value_name = "FRACTION",
        default_value_t = 0.0,
        help_heading = "Fault injection"
    )]
    pub fault_503: f64,
    /// Fraction (0-1) of RRS calls answered 429 with the gateway's rate-limit body and
    /// Retry-After, unscored (with or without --apim-suffix)
    #[arg(
        long = "fault-429",
        value_name = "FRACTION",
        default_value_t = 0.0,
        help_heading = "Fault injection"
    )]
    pub fault_429: f64,
    /// Fraction (0-1) of RRS calls whose connection is closed without an answer once the
    /// request is read; unscored
    #[arg(
        long,
        value_name = "FRACTION",
        default_value_t = 0.0,
        help_heading = "Fault injection"
    )]
    pub fault_drop: f64,
    /// Delay before answering each RRS and BES call, in milliseconds: MS, or MIN-MAX for a
    /// random delay in that range
    #[arg(long, value_name = "MS|MIN-MAX", help_heading = "Fault injection")]
    pub fault_delay: Option<String>,
    /// Fraction (0-1) of BES status polls answered 503 ServiceUnavailable/RequestThrottled
    #[arg(
        long = "fault-status-503",
        value_name = "FRACTION",
        default_value_t = 0.0,
        help_heading = "Fault injection"
    )]
    pub fault_status_503: f64,
    /// Retry-After, in seconds, of the injected 429s
    #[arg(long, value_name = "SECS", default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=86_400), help_heading = "Fault injection")]
    pub fault_retry_after: u64,
}

/// The shape of BES status bodies of `mlws serve`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BesStatusStyle {
    Default,
    Int,
    Legacy,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_flags_go_before_or_after_the_subcommand() {
        let a = Cli::try_parse_from(["mlws", "-v", "--api-key", "k", "rrs", "execute"]).unwrap();
        let b = Cli::try_parse_from(["mlws", "rrs", "execute", "-v", "--api-key", "k"]).unwrap();
        assert_eq!(a.global.api_key, b.global.api_key);
        assert_eq!(a.global.verbose, b.global.verbose);
    }
}
