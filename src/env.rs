//! The environment variables mlws reads, one documented constant each. Only `settings.rs`
//! reads them; tests scrub every `MLWS_*` name listed here.

/// Selected profile of the config file.
pub const PROFILE: &str = "MLWS_PROFILE";
/// Path of the config file (default `dirs::config_dir()/mlws/config.toml`).
pub const CONFIG: &str = "MLWS_CONFIG";
/// Service root host, an ML service host or an API Management gateway with its API suffix.
pub const BASE_URL: &str = "MLWS_BASE_URL";
/// Workspace id.
pub const WORKSPACE: &str = "MLWS_WORKSPACE";
/// Service (endpoint) id.
pub const SERVICE: &str = "MLWS_SERVICE";
/// The whole service URL (root or any operation URL); replaces base URL + workspace + service.
pub const SERVICE_URL: &str = "MLWS_SERVICE_URL";
/// API key, sent as `Authorization: Bearer`.
pub const API_KEY: &str = "MLWS_API_KEY";
/// API Management subscription key, sent as `Ocp-Apim-Subscription-Key`.
pub const SUBSCRIPTION_KEY: &str = "MLWS_SUBSCRIPTION_KEY";
/// `api-version` query value (default `2.0`).
pub const API_VERSION: &str = "MLWS_API_VERSION";
/// Storage connection string for BES inputs and outputs.
pub const STORAGE_CONNECTION_STRING: &str = "MLWS_STORAGE_CONNECTION_STRING";
/// The Azure tools' conventional name, read after [`STORAGE_CONNECTION_STRING`].
pub const AZURE_STORAGE_CONNECTION_STRING: &str = "AZURE_STORAGE_CONNECTION_STRING";
/// Blob container for BES uploads (default `mlws`).
pub const CONTAINER: &str = "MLWS_CONTAINER";
/// Protocol of the service (`classic`, `mlflow`, `azureml`, `v2`, `kserve-v1`).
pub const PROTOCOL: &str = "MLWS_PROTOCOL";
/// Scoring URL of any protocol.
pub const URL: &str = "MLWS_URL";
/// Azure ML deployment, sent as `azureml-model-deployment`.
pub const DEPLOYMENT: &str = "MLWS_DEPLOYMENT";
/// A command that prints a bearer token (`--token-command`).
pub const TOKEN_COMMAND: &str = "MLWS_TOKEN_COMMAND";
/// Block size, in bytes, of `bes run`'s uploads (default 8 MiB; 1024 to 4000 MiB): for the
/// tests of `bes run --resume`, which want many small blocks. Not in the config file.
pub const BLOCK_SIZE: &str = "MLWS_BLOCK_SIZE";
/// Disables colour (https://no-color.org).
pub const NO_COLOR: &str = "NO_COLOR";

/// Every variable that configures mlws, for `config list` and for test sandboxes.
pub const ALL: &[&str] = &[
    PROFILE,
    CONFIG,
    BASE_URL,
    WORKSPACE,
    SERVICE,
    SERVICE_URL,
    API_KEY,
    SUBSCRIPTION_KEY,
    API_VERSION,
    STORAGE_CONNECTION_STRING,
    AZURE_STORAGE_CONNECTION_STRING,
    CONTAINER,
    PROTOCOL,
    URL,
    DEPLOYMENT,
    TOKEN_COMMAND,
    BLOCK_SIZE,
];
