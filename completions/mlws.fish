# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_mlws_global_optspecs
    string join \n v/verbose q/quiet timeout= retries= f/output-format= dry-run profile= config= base-url= workspace= service= service-url= api-key= subscription-key= api-version= storage-connection-string= container= protocol= url= header= deployment= token-command= h/help V/version
end

function __fish_mlws_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_mlws_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_mlws_using_subcommand
    set -l cmd (__fish_mlws_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c mlws -n "__fish_mlws_needs_command" -l timeout -d 'Time limit of each request, in seconds [default: 100]' -r
complete -c mlws -n "__fish_mlws_needs_command" -l retries -d 'How many times a failed request is retried [default: 5]' -r
complete -c mlws -n "__fish_mlws_needs_command" -s f -l output-format -d 'Output format of results' -r -f -a "csv\t''
tsv\t''
json\t''
table\t''
jsonl\t'JSON Lines: one object per row and line'
parquet\t'Parquet, in typed row groups (not to a terminal)'"
complete -c mlws -n "__fish_mlws_needs_command" -l profile -d 'Profile of the config file to use [env: MLWS_PROFILE]' -r
complete -c mlws -n "__fish_mlws_needs_command" -l config -d 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]' -r -F
complete -c mlws -n "__fish_mlws_needs_command" -l base-url -d 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]' -r
complete -c mlws -n "__fish_mlws_needs_command" -l workspace -d 'Workspace id [env: MLWS_WORKSPACE]' -r
complete -c mlws -n "__fish_mlws_needs_command" -l service -d 'Service (endpoint) id [env: MLWS_SERVICE]' -r
complete -c mlws -n "__fish_mlws_needs_command" -l service-url -d 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]' -r
complete -c mlws -n "__fish_mlws_needs_command" -l api-key -d 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]' -r
complete -c mlws -n "__fish_mlws_needs_command" -l subscription-key -d 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]' -r
complete -c mlws -n "__fish_mlws_needs_command" -l api-version -d 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]' -r
complete -c mlws -n "__fish_mlws_needs_command" -l storage-connection-string -d 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]' -r
complete -c mlws -n "__fish_mlws_needs_command" -l container -d 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]' -r
complete -c mlws -n "__fish_mlws_needs_command" -l protocol -d 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]' -r -f -a "classic\t'Azure ML Studio (classic) RRS'
mlflow\t'MLflow scoring server `/invocations` (also Databricks Model Serving)'
azureml\t'Azure ML online endpoints and `azmlinfsrv` (`/score`)'
v2\t'Open Inference Protocol (KServe v2, MLServer, Triton)'
kserve-v1\t'KServe v1 (`/v1/models/M:predict`)'"
complete -c mlws -n "__fish_mlws_needs_command" -l url -d 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]' -r
complete -c mlws -n "__fish_mlws_needs_command" -l header -d 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)' -r
complete -c mlws -n "__fish_mlws_needs_command" -l deployment -d 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]' -r
complete -c mlws -n "__fish_mlws_needs_command" -l token-command -d 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]' -r
complete -c mlws -n "__fish_mlws_needs_command" -s v -l verbose -d 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
complete -c mlws -n "__fish_mlws_needs_command" -s q -l quiet -d 'Only errors on stderr'
complete -c mlws -n "__fish_mlws_needs_command" -l dry-run -d 'Print the request that would be sent (secrets masked) and send nothing'
complete -c mlws -n "__fish_mlws_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mlws -n "__fish_mlws_needs_command" -s V -l version -d 'Print version'
complete -c mlws -n "__fish_mlws_needs_command" -f -a "rrs" -d 'Request-response scoring'
complete -c mlws -n "__fish_mlws_needs_command" -f -a "score" -d 'Score rows through any protocol (the same command as `rrs execute`)'
complete -c mlws -n "__fish_mlws_needs_command" -f -a "describe" -d 'Print what the endpoint says about itself: inputs, outputs, parameters'
complete -c mlws -n "__fish_mlws_needs_command" -f -a "bes" -d 'Batch execution jobs'
complete -c mlws -n "__fish_mlws_needs_command" -f -a "config" -d 'Read and write the config file'
complete -c mlws -n "__fish_mlws_needs_command" -f -a "apim" -d 'API Management as code: the API\'s OpenAPI document and policy'
complete -c mlws -n "__fish_mlws_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c mlws -n "__fish_mlws_needs_command" -f -a "serve" -d 'Run a local emulator of the service (RRS, BES, API Management, blob storage)'
complete -c mlws -n "__fish_mlws_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and not __fish_seen_subcommand_from execute help" -l timeout -d 'Time limit of each request, in seconds [default: 100]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and not __fish_seen_subcommand_from execute help" -l retries -d 'How many times a failed request is retried [default: 5]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and not __fish_seen_subcommand_from execute help" -s f -l output-format -d 'Output format of results' -r -f -a "csv\t''
tsv\t''
json\t''
table\t''
jsonl\t'JSON Lines: one object per row and line'
parquet\t'Parquet, in typed row groups (not to a terminal)'"
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and not __fish_seen_subcommand_from execute help" -l profile -d 'Profile of the config file to use [env: MLWS_PROFILE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and not __fish_seen_subcommand_from execute help" -l config -d 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]' -r -F
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and not __fish_seen_subcommand_from execute help" -l base-url -d 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and not __fish_seen_subcommand_from execute help" -l workspace -d 'Workspace id [env: MLWS_WORKSPACE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and not __fish_seen_subcommand_from execute help" -l service -d 'Service (endpoint) id [env: MLWS_SERVICE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and not __fish_seen_subcommand_from execute help" -l service-url -d 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and not __fish_seen_subcommand_from execute help" -l api-key -d 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and not __fish_seen_subcommand_from execute help" -l subscription-key -d 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and not __fish_seen_subcommand_from execute help" -l api-version -d 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and not __fish_seen_subcommand_from execute help" -l storage-connection-string -d 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and not __fish_seen_subcommand_from execute help" -l container -d 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and not __fish_seen_subcommand_from execute help" -l protocol -d 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]' -r -f -a "classic\t'Azure ML Studio (classic) RRS'
mlflow\t'MLflow scoring server `/invocations` (also Databricks Model Serving)'
azureml\t'Azure ML online endpoints and `azmlinfsrv` (`/score`)'
v2\t'Open Inference Protocol (KServe v2, MLServer, Triton)'
kserve-v1\t'KServe v1 (`/v1/models/M:predict`)'"
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and not __fish_seen_subcommand_from execute help" -l url -d 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and not __fish_seen_subcommand_from execute help" -l header -d 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and not __fish_seen_subcommand_from execute help" -l deployment -d 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and not __fish_seen_subcommand_from execute help" -l token-command -d 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and not __fish_seen_subcommand_from execute help" -s v -l verbose -d 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and not __fish_seen_subcommand_from execute help" -s q -l quiet -d 'Only errors on stderr'
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and not __fish_seen_subcommand_from execute help" -l dry-run -d 'Print the request that would be sent (secrets masked) and send nothing'
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and not __fish_seen_subcommand_from execute help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and not __fish_seen_subcommand_from execute help" -s V -l version -d 'Print version'
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and not __fish_seen_subcommand_from execute help" -f -a "execute" -d 'Score rows: CSV/TSV/JSON in, CSV/TSV/JSON/table out, in input order'
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and not __fish_seen_subcommand_from execute help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -s i -l input -d 'Input file, `-` for stdin' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l input-format -d 'Input format [default: from the file extension, else csv]' -r -f -a "csv\t''
tsv\t''
json\t''
jsonl\t'JSON Lines: one row object per line'
parquet\t'Parquet, read by row group (stdin is copied to a temporary file first)'"
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l delimiter -d 'Field delimiter of CSV input: one character, or `tab` [default: `,`, or `;`, tab or `|` when the header has no comma and one of them]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l output-delimiter -d 'Field delimiter of CSV output [default: the input\'s]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l encoding -d 'Encoding of the input (WHATWG labels: utf-8, windows-1250, windows-1252, iso-8859-2, shift_jis, utf-16le, ...); a byte-order mark wins [default: utf-8]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l output-encoding -d 'Encoding of the output [default: utf-8]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l record -d 'One row from the command line, a cell per flag (COL=VALUE); replaces --input' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l input-name -d 'Web service input name (classic: default `input1`; v2 `--body-format tensor`: the tensor\'s name, default from the model metadata, else `input-0`)' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l output-name -d 'Web service output to print (classic: default `output1`); v2: an output to ask for (repeatable)' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l param -d 'A parameter, NAME=VALUE, repeatable (classic `GlobalParameters`, MLflow and Azure ML `params`, v2 request `parameters`)' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l types -d 'Types of input columns, COL=string|int|float|bool (comma-separated or repeated); they win over the service\'s schema and over inference' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l body-format -d 'Request body format: mlflow `split|records|csv`, azureml `input-data|data`, v2 `columns|tensor`, kserve-v1 `rows|columns` [default: the first of each]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l keep -d 'Input columns kept in the output: `all`, `none` or COL[,COL...] [default: all; classic: none, its service chooses its output columns]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l on-bad-row -d 'What to do with rows the service refuses as bad input: stop (`fail`), or isolate them, score the rest and write them to --failed-rows (`skip`)' -r -f -a "fail\t''
skip\t''"
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l batch-size -d 'Rows per request (requests are also kept under 4 MB)' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l concurrency -d 'Requests in flight at once' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -s o -l output -d 'Output file, `-` for stdout; written to a temporary file and renamed on success' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l failed-rows -d 'Write the raw input rows that could not be scored to FILE' -r -F
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l timeout -d 'Time limit of each request, in seconds [default: 100]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l retries -d 'How many times a failed request is retried [default: 5]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -s f -l output-format -d 'Output format of results' -r -f -a "csv\t''
tsv\t''
json\t''
table\t''
jsonl\t'JSON Lines: one object per row and line'
parquet\t'Parquet, in typed row groups (not to a terminal)'"
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l profile -d 'Profile of the config file to use [env: MLWS_PROFILE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l config -d 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]' -r -F
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l base-url -d 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l workspace -d 'Workspace id [env: MLWS_WORKSPACE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l service -d 'Service (endpoint) id [env: MLWS_SERVICE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l service-url -d 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l api-key -d 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l subscription-key -d 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l api-version -d 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l storage-connection-string -d 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l container -d 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l protocol -d 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]' -r -f -a "classic\t'Azure ML Studio (classic) RRS'
mlflow\t'MLflow scoring server `/invocations` (also Databricks Model Serving)'
azureml\t'Azure ML online endpoints and `azmlinfsrv` (`/score`)'
v2\t'Open Inference Protocol (KServe v2, MLServer, Triton)'
kserve-v1\t'KServe v1 (`/v1/models/M:predict`)'"
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l url -d 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l header -d 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l deployment -d 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l token-command -d 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]' -r
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l swagger -d 'Use `format=swagger` bodies (rows as objects)'
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l resume -d 'Continue an interrupted run with the same --input and --output from its journal (OUTPUT.mlws-journal): rows already written are not sent again'
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -s v -l verbose -d 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -s q -l quiet -d 'Only errors on stderr'
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -l dry-run -d 'Print the request that would be sent (secrets masked) and send nothing'
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from execute" -s V -l version -d 'Print version'
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from help" -f -a "execute" -d 'Score rows: CSV/TSV/JSON in, CSV/TSV/JSON/table out, in input order'
complete -c mlws -n "__fish_mlws_using_subcommand rrs; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mlws -n "__fish_mlws_using_subcommand score" -s i -l input -d 'Input file, `-` for stdin' -r
complete -c mlws -n "__fish_mlws_using_subcommand score" -l input-format -d 'Input format [default: from the file extension, else csv]' -r -f -a "csv\t''
tsv\t''
json\t''
jsonl\t'JSON Lines: one row object per line'
parquet\t'Parquet, read by row group (stdin is copied to a temporary file first)'"
complete -c mlws -n "__fish_mlws_using_subcommand score" -l delimiter -d 'Field delimiter of CSV input: one character, or `tab` [default: `,`, or `;`, tab or `|` when the header has no comma and one of them]' -r
complete -c mlws -n "__fish_mlws_using_subcommand score" -l output-delimiter -d 'Field delimiter of CSV output [default: the input\'s]' -r
complete -c mlws -n "__fish_mlws_using_subcommand score" -l encoding -d 'Encoding of the input (WHATWG labels: utf-8, windows-1250, windows-1252, iso-8859-2, shift_jis, utf-16le, ...); a byte-order mark wins [default: utf-8]' -r
complete -c mlws -n "__fish_mlws_using_subcommand score" -l output-encoding -d 'Encoding of the output [default: utf-8]' -r
complete -c mlws -n "__fish_mlws_using_subcommand score" -l record -d 'One row from the command line, a cell per flag (COL=VALUE); replaces --input' -r
complete -c mlws -n "__fish_mlws_using_subcommand score" -l input-name -d 'Web service input name (classic: default `input1`; v2 `--body-format tensor`: the tensor\'s name, default from the model metadata, else `input-0`)' -r
complete -c mlws -n "__fish_mlws_using_subcommand score" -l output-name -d 'Web service output to print (classic: default `output1`); v2: an output to ask for (repeatable)' -r
complete -c mlws -n "__fish_mlws_using_subcommand score" -l param -d 'A parameter, NAME=VALUE, repeatable (classic `GlobalParameters`, MLflow and Azure ML `params`, v2 request `parameters`)' -r
complete -c mlws -n "__fish_mlws_using_subcommand score" -l types -d 'Types of input columns, COL=string|int|float|bool (comma-separated or repeated); they win over the service\'s schema and over inference' -r
complete -c mlws -n "__fish_mlws_using_subcommand score" -l body-format -d 'Request body format: mlflow `split|records|csv`, azureml `input-data|data`, v2 `columns|tensor`, kserve-v1 `rows|columns` [default: the first of each]' -r
complete -c mlws -n "__fish_mlws_using_subcommand score" -l keep -d 'Input columns kept in the output: `all`, `none` or COL[,COL...] [default: all; classic: none, its service chooses its output columns]' -r
complete -c mlws -n "__fish_mlws_using_subcommand score" -l on-bad-row -d 'What to do with rows the service refuses as bad input: stop (`fail`), or isolate them, score the rest and write them to --failed-rows (`skip`)' -r -f -a "fail\t''
skip\t''"
complete -c mlws -n "__fish_mlws_using_subcommand score" -l batch-size -d 'Rows per request (requests are also kept under 4 MB)' -r
complete -c mlws -n "__fish_mlws_using_subcommand score" -l concurrency -d 'Requests in flight at once' -r
complete -c mlws -n "__fish_mlws_using_subcommand score" -s o -l output -d 'Output file, `-` for stdout; written to a temporary file and renamed on success' -r
complete -c mlws -n "__fish_mlws_using_subcommand score" -l failed-rows -d 'Write the raw input rows that could not be scored to FILE' -r -F
complete -c mlws -n "__fish_mlws_using_subcommand score" -l timeout -d 'Time limit of each request, in seconds [default: 100]' -r
complete -c mlws -n "__fish_mlws_using_subcommand score" -l retries -d 'How many times a failed request is retried [default: 5]' -r
complete -c mlws -n "__fish_mlws_using_subcommand score" -s f -l output-format -d 'Output format of results' -r -f -a "csv\t''
tsv\t''
json\t''
table\t''
jsonl\t'JSON Lines: one object per row and line'
parquet\t'Parquet, in typed row groups (not to a terminal)'"
complete -c mlws -n "__fish_mlws_using_subcommand score" -l profile -d 'Profile of the config file to use [env: MLWS_PROFILE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand score" -l config -d 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]' -r -F
complete -c mlws -n "__fish_mlws_using_subcommand score" -l base-url -d 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand score" -l workspace -d 'Workspace id [env: MLWS_WORKSPACE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand score" -l service -d 'Service (endpoint) id [env: MLWS_SERVICE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand score" -l service-url -d 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand score" -l api-key -d 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand score" -l subscription-key -d 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand score" -l api-version -d 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]' -r
complete -c mlws -n "__fish_mlws_using_subcommand score" -l storage-connection-string -d 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]' -r
complete -c mlws -n "__fish_mlws_using_subcommand score" -l container -d 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]' -r
complete -c mlws -n "__fish_mlws_using_subcommand score" -l protocol -d 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]' -r -f -a "classic\t'Azure ML Studio (classic) RRS'
mlflow\t'MLflow scoring server `/invocations` (also Databricks Model Serving)'
azureml\t'Azure ML online endpoints and `azmlinfsrv` (`/score`)'
v2\t'Open Inference Protocol (KServe v2, MLServer, Triton)'
kserve-v1\t'KServe v1 (`/v1/models/M:predict`)'"
complete -c mlws -n "__fish_mlws_using_subcommand score" -l url -d 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand score" -l header -d 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)' -r
complete -c mlws -n "__fish_mlws_using_subcommand score" -l deployment -d 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]' -r
complete -c mlws -n "__fish_mlws_using_subcommand score" -l token-command -d 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]' -r
complete -c mlws -n "__fish_mlws_using_subcommand score" -l swagger -d 'Use `format=swagger` bodies (rows as objects)'
complete -c mlws -n "__fish_mlws_using_subcommand score" -l resume -d 'Continue an interrupted run with the same --input and --output from its journal (OUTPUT.mlws-journal): rows already written are not sent again'
complete -c mlws -n "__fish_mlws_using_subcommand score" -s v -l verbose -d 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
complete -c mlws -n "__fish_mlws_using_subcommand score" -s q -l quiet -d 'Only errors on stderr'
complete -c mlws -n "__fish_mlws_using_subcommand score" -l dry-run -d 'Print the request that would be sent (secrets masked) and send nothing'
complete -c mlws -n "__fish_mlws_using_subcommand score" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mlws -n "__fish_mlws_using_subcommand score" -s V -l version -d 'Print version'
complete -c mlws -n "__fish_mlws_using_subcommand describe" -l timeout -d 'Time limit of each request, in seconds [default: 100]' -r
complete -c mlws -n "__fish_mlws_using_subcommand describe" -l retries -d 'How many times a failed request is retried [default: 5]' -r
complete -c mlws -n "__fish_mlws_using_subcommand describe" -s f -l output-format -d 'Output format of results' -r -f -a "csv\t''
tsv\t''
json\t''
table\t''
jsonl\t'JSON Lines: one object per row and line'
parquet\t'Parquet, in typed row groups (not to a terminal)'"
complete -c mlws -n "__fish_mlws_using_subcommand describe" -l profile -d 'Profile of the config file to use [env: MLWS_PROFILE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand describe" -l config -d 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]' -r -F
complete -c mlws -n "__fish_mlws_using_subcommand describe" -l base-url -d 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand describe" -l workspace -d 'Workspace id [env: MLWS_WORKSPACE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand describe" -l service -d 'Service (endpoint) id [env: MLWS_SERVICE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand describe" -l service-url -d 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand describe" -l api-key -d 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand describe" -l subscription-key -d 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand describe" -l api-version -d 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]' -r
complete -c mlws -n "__fish_mlws_using_subcommand describe" -l storage-connection-string -d 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]' -r
complete -c mlws -n "__fish_mlws_using_subcommand describe" -l container -d 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]' -r
complete -c mlws -n "__fish_mlws_using_subcommand describe" -l protocol -d 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]' -r -f -a "classic\t'Azure ML Studio (classic) RRS'
mlflow\t'MLflow scoring server `/invocations` (also Databricks Model Serving)'
azureml\t'Azure ML online endpoints and `azmlinfsrv` (`/score`)'
v2\t'Open Inference Protocol (KServe v2, MLServer, Triton)'
kserve-v1\t'KServe v1 (`/v1/models/M:predict`)'"
complete -c mlws -n "__fish_mlws_using_subcommand describe" -l url -d 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand describe" -l header -d 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)' -r
complete -c mlws -n "__fish_mlws_using_subcommand describe" -l deployment -d 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]' -r
complete -c mlws -n "__fish_mlws_using_subcommand describe" -l token-command -d 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]' -r
complete -c mlws -n "__fish_mlws_using_subcommand describe" -s v -l verbose -d 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
complete -c mlws -n "__fish_mlws_using_subcommand describe" -s q -l quiet -d 'Only errors on stderr'
complete -c mlws -n "__fish_mlws_using_subcommand describe" -l dry-run -d 'Print the request that would be sent (secrets masked) and send nothing'
complete -c mlws -n "__fish_mlws_using_subcommand describe" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mlws -n "__fish_mlws_using_subcommand describe" -s V -l version -d 'Print version'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and not __fish_seen_subcommand_from submit start status delete run help" -l timeout -d 'Time limit of each request, in seconds [default: 100]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and not __fish_seen_subcommand_from submit start status delete run help" -l retries -d 'How many times a failed request is retried [default: 5]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and not __fish_seen_subcommand_from submit start status delete run help" -s f -l output-format -d 'Output format of results' -r -f -a "csv\t''
tsv\t''
json\t''
table\t''
jsonl\t'JSON Lines: one object per row and line'
parquet\t'Parquet, in typed row groups (not to a terminal)'"
complete -c mlws -n "__fish_mlws_using_subcommand bes; and not __fish_seen_subcommand_from submit start status delete run help" -l profile -d 'Profile of the config file to use [env: MLWS_PROFILE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and not __fish_seen_subcommand_from submit start status delete run help" -l config -d 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]' -r -F
complete -c mlws -n "__fish_mlws_using_subcommand bes; and not __fish_seen_subcommand_from submit start status delete run help" -l base-url -d 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and not __fish_seen_subcommand_from submit start status delete run help" -l workspace -d 'Workspace id [env: MLWS_WORKSPACE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and not __fish_seen_subcommand_from submit start status delete run help" -l service -d 'Service (endpoint) id [env: MLWS_SERVICE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and not __fish_seen_subcommand_from submit start status delete run help" -l service-url -d 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and not __fish_seen_subcommand_from submit start status delete run help" -l api-key -d 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and not __fish_seen_subcommand_from submit start status delete run help" -l subscription-key -d 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and not __fish_seen_subcommand_from submit start status delete run help" -l api-version -d 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and not __fish_seen_subcommand_from submit start status delete run help" -l storage-connection-string -d 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and not __fish_seen_subcommand_from submit start status delete run help" -l container -d 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and not __fish_seen_subcommand_from submit start status delete run help" -l protocol -d 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]' -r -f -a "classic\t'Azure ML Studio (classic) RRS'
mlflow\t'MLflow scoring server `/invocations` (also Databricks Model Serving)'
azureml\t'Azure ML online endpoints and `azmlinfsrv` (`/score`)'
v2\t'Open Inference Protocol (KServe v2, MLServer, Triton)'
kserve-v1\t'KServe v1 (`/v1/models/M:predict`)'"
complete -c mlws -n "__fish_mlws_using_subcommand bes; and not __fish_seen_subcommand_from submit start status delete run help" -l url -d 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and not __fish_seen_subcommand_from submit start status delete run help" -l header -d 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and not __fish_seen_subcommand_from submit start status delete run help" -l deployment -d 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and not __fish_seen_subcommand_from submit start status delete run help" -l token-command -d 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and not __fish_seen_subcommand_from submit start status delete run help" -s v -l verbose -d 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and not __fish_seen_subcommand_from submit start status delete run help" -s q -l quiet -d 'Only errors on stderr'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and not __fish_seen_subcommand_from submit start status delete run help" -l dry-run -d 'Print the request that would be sent (secrets masked) and send nothing'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and not __fish_seen_subcommand_from submit start status delete run help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and not __fish_seen_subcommand_from submit start status delete run help" -s V -l version -d 'Print version'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and not __fish_seen_subcommand_from submit start status delete run help" -f -a "submit" -d 'Upload an input (unless it is `container/blob`) and submit a job; prints the job id'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and not __fish_seen_subcommand_from submit start status delete run help" -f -a "start" -d 'Start a submitted job'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and not __fish_seen_subcommand_from submit start status delete run help" -f -a "status" -d 'Print a job\'s state (`-f json`: the whole status body)'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and not __fish_seen_subcommand_from submit start status delete run help" -f -a "delete" -d 'Delete (cancel) a job'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and not __fish_seen_subcommand_from submit start status delete run help" -f -a "run" -d 'Upload, submit, start, wait and download the result, as the documentation\'s sample does'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and not __fish_seen_subcommand_from submit start status delete run help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from submit" -s i -l input -d 'Local input file, or `container/blob` already in storage' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from submit" -l input-name -d 'Web service input name' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from submit" -l output-blob -d 'Where the service should write output1 (`container/path.csv`)' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from submit" -l param -d 'A web service parameter (GlobalParameters), NAME=VALUE, repeatable' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from submit" -l timeout -d 'Time limit of each request, in seconds [default: 100]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from submit" -l retries -d 'How many times a failed request is retried [default: 5]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from submit" -s f -l output-format -d 'Output format of results' -r -f -a "csv\t''
tsv\t''
json\t''
table\t''
jsonl\t'JSON Lines: one object per row and line'
parquet\t'Parquet, in typed row groups (not to a terminal)'"
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from submit" -l profile -d 'Profile of the config file to use [env: MLWS_PROFILE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from submit" -l config -d 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]' -r -F
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from submit" -l base-url -d 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from submit" -l workspace -d 'Workspace id [env: MLWS_WORKSPACE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from submit" -l service -d 'Service (endpoint) id [env: MLWS_SERVICE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from submit" -l service-url -d 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from submit" -l api-key -d 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from submit" -l subscription-key -d 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from submit" -l api-version -d 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from submit" -l storage-connection-string -d 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from submit" -l container -d 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from submit" -l protocol -d 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]' -r -f -a "classic\t'Azure ML Studio (classic) RRS'
mlflow\t'MLflow scoring server `/invocations` (also Databricks Model Serving)'
azureml\t'Azure ML online endpoints and `azmlinfsrv` (`/score`)'
v2\t'Open Inference Protocol (KServe v2, MLServer, Triton)'
kserve-v1\t'KServe v1 (`/v1/models/M:predict`)'"
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from submit" -l url -d 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from submit" -l header -d 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from submit" -l deployment -d 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from submit" -l token-command -d 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from submit" -s v -l verbose -d 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from submit" -s q -l quiet -d 'Only errors on stderr'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from submit" -l dry-run -d 'Print the request that would be sent (secrets masked) and send nothing'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from submit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from submit" -s V -l version -d 'Print version'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from start" -l timeout -d 'Time limit of each request, in seconds [default: 100]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from start" -l retries -d 'How many times a failed request is retried [default: 5]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from start" -s f -l output-format -d 'Output format of results' -r -f -a "csv\t''
tsv\t''
json\t''
table\t''
jsonl\t'JSON Lines: one object per row and line'
parquet\t'Parquet, in typed row groups (not to a terminal)'"
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from start" -l profile -d 'Profile of the config file to use [env: MLWS_PROFILE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from start" -l config -d 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]' -r -F
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from start" -l base-url -d 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from start" -l workspace -d 'Workspace id [env: MLWS_WORKSPACE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from start" -l service -d 'Service (endpoint) id [env: MLWS_SERVICE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from start" -l service-url -d 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from start" -l api-key -d 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from start" -l subscription-key -d 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from start" -l api-version -d 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from start" -l storage-connection-string -d 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from start" -l container -d 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from start" -l protocol -d 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]' -r -f -a "classic\t'Azure ML Studio (classic) RRS'
mlflow\t'MLflow scoring server `/invocations` (also Databricks Model Serving)'
azureml\t'Azure ML online endpoints and `azmlinfsrv` (`/score`)'
v2\t'Open Inference Protocol (KServe v2, MLServer, Triton)'
kserve-v1\t'KServe v1 (`/v1/models/M:predict`)'"
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from start" -l url -d 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from start" -l header -d 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from start" -l deployment -d 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from start" -l token-command -d 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from start" -s v -l verbose -d 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from start" -s q -l quiet -d 'Only errors on stderr'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from start" -l dry-run -d 'Print the request that would be sent (secrets masked) and send nothing'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from start" -s V -l version -d 'Print version'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from status" -l poll-interval -d 'First delay between polls, in seconds (then backing off, capped at 30 s)' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from status" -l job-timeout -d 'Give up waiting after SECS (exit 7)' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from status" -l timeout -d 'Time limit of each request, in seconds [default: 100]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from status" -l retries -d 'How many times a failed request is retried [default: 5]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from status" -s f -l output-format -d 'Output format of results' -r -f -a "csv\t''
tsv\t''
json\t''
table\t''
jsonl\t'JSON Lines: one object per row and line'
parquet\t'Parquet, in typed row groups (not to a terminal)'"
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from status" -l profile -d 'Profile of the config file to use [env: MLWS_PROFILE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from status" -l config -d 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]' -r -F
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from status" -l base-url -d 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from status" -l workspace -d 'Workspace id [env: MLWS_WORKSPACE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from status" -l service -d 'Service (endpoint) id [env: MLWS_SERVICE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from status" -l service-url -d 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from status" -l api-key -d 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from status" -l subscription-key -d 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from status" -l api-version -d 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from status" -l storage-connection-string -d 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from status" -l container -d 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from status" -l protocol -d 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]' -r -f -a "classic\t'Azure ML Studio (classic) RRS'
mlflow\t'MLflow scoring server `/invocations` (also Databricks Model Serving)'
azureml\t'Azure ML online endpoints and `azmlinfsrv` (`/score`)'
v2\t'Open Inference Protocol (KServe v2, MLServer, Triton)'
kserve-v1\t'KServe v1 (`/v1/models/M:predict`)'"
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from status" -l url -d 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from status" -l header -d 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from status" -l deployment -d 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from status" -l token-command -d 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from status" -l wait -d 'Poll until the job reaches a final state'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from status" -s v -l verbose -d 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Only errors on stderr'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from status" -l dry-run -d 'Print the request that would be sent (secrets masked) and send nothing'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from delete" -l timeout -d 'Time limit of each request, in seconds [default: 100]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from delete" -l retries -d 'How many times a failed request is retried [default: 5]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from delete" -s f -l output-format -d 'Output format of results' -r -f -a "csv\t''
tsv\t''
json\t''
table\t''
jsonl\t'JSON Lines: one object per row and line'
parquet\t'Parquet, in typed row groups (not to a terminal)'"
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from delete" -l profile -d 'Profile of the config file to use [env: MLWS_PROFILE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from delete" -l config -d 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]' -r -F
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from delete" -l base-url -d 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from delete" -l workspace -d 'Workspace id [env: MLWS_WORKSPACE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from delete" -l service -d 'Service (endpoint) id [env: MLWS_SERVICE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from delete" -l service-url -d 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from delete" -l api-key -d 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from delete" -l subscription-key -d 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from delete" -l api-version -d 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from delete" -l storage-connection-string -d 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from delete" -l container -d 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from delete" -l protocol -d 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]' -r -f -a "classic\t'Azure ML Studio (classic) RRS'
mlflow\t'MLflow scoring server `/invocations` (also Databricks Model Serving)'
azureml\t'Azure ML online endpoints and `azmlinfsrv` (`/score`)'
v2\t'Open Inference Protocol (KServe v2, MLServer, Triton)'
kserve-v1\t'KServe v1 (`/v1/models/M:predict`)'"
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from delete" -l url -d 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from delete" -l header -d 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from delete" -l deployment -d 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from delete" -l token-command -d 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from delete" -s v -l verbose -d 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Only errors on stderr'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from delete" -l dry-run -d 'Print the request that would be sent (secrets masked) and send nothing'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -s i -l input -d 'Local input file (CSV with a header row)' -r -F
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -s o -l output -d 'Where to write output1' -r -F
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -l output-dir -d 'Download every output into DIR (as NAME.csv)' -r -F
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -l input-name -d 'Web service input name' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -l param -d 'A web service parameter (GlobalParameters), NAME=VALUE, repeatable' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -l poll-interval -d 'First delay between polls, in seconds (then backing off, capped at 30 s)' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -l job-timeout -d 'Give up (and delete the job) after SECS (exit 7)' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -l timeout -d 'Time limit of each request, in seconds [default: 100]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -l retries -d 'How many times a failed request is retried [default: 5]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -s f -l output-format -d 'Output format of results' -r -f -a "csv\t''
tsv\t''
json\t''
table\t''
jsonl\t'JSON Lines: one object per row and line'
parquet\t'Parquet, in typed row groups (not to a terminal)'"
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -l profile -d 'Profile of the config file to use [env: MLWS_PROFILE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -l config -d 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]' -r -F
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -l base-url -d 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -l workspace -d 'Workspace id [env: MLWS_WORKSPACE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -l service -d 'Service (endpoint) id [env: MLWS_SERVICE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -l service-url -d 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -l api-key -d 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -l subscription-key -d 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -l api-version -d 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -l storage-connection-string -d 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -l container -d 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -l protocol -d 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]' -r -f -a "classic\t'Azure ML Studio (classic) RRS'
mlflow\t'MLflow scoring server `/invocations` (also Databricks Model Serving)'
azureml\t'Azure ML online endpoints and `azmlinfsrv` (`/score`)'
v2\t'Open Inference Protocol (KServe v2, MLServer, Triton)'
kserve-v1\t'KServe v1 (`/v1/models/M:predict`)'"
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -l url -d 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -l header -d 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -l deployment -d 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -l token-command -d 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]' -r
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -l keep-job -d 'Do not delete the job on Ctrl-C or timeout'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -l resume -d 'Continue an interrupted run with the same `--output` (its progress is kept in OUTPUT.mlws-journal): blocks already staged are not sent again, a submitted job is re-attached, a download goes on where it stopped'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -s v -l verbose -d 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -s q -l quiet -d 'Only errors on stderr'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -l dry-run -d 'Print the request that would be sent (secrets masked) and send nothing'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from run" -s V -l version -d 'Print version'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from help" -f -a "submit" -d 'Upload an input (unless it is `container/blob`) and submit a job; prints the job id'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from help" -f -a "start" -d 'Start a submitted job'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from help" -f -a "status" -d 'Print a job\'s state (`-f json`: the whole status body)'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete (cancel) a job'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from help" -f -a "run" -d 'Upload, submit, start, wait and download the result, as the documentation\'s sample does'
complete -c mlws -n "__fish_mlws_using_subcommand bes; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mlws -n "__fish_mlws_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -l timeout -d 'Time limit of each request, in seconds [default: 100]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -l retries -d 'How many times a failed request is retried [default: 5]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -s f -l output-format -d 'Output format of results' -r -f -a "csv\t''
tsv\t''
json\t''
table\t''
jsonl\t'JSON Lines: one object per row and line'
parquet\t'Parquet, in typed row groups (not to a terminal)'"
complete -c mlws -n "__fish_mlws_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -l profile -d 'Profile of the config file to use [env: MLWS_PROFILE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -l config -d 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]' -r -F
complete -c mlws -n "__fish_mlws_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -l base-url -d 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -l workspace -d 'Workspace id [env: MLWS_WORKSPACE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -l service -d 'Service (endpoint) id [env: MLWS_SERVICE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -l service-url -d 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -l api-key -d 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -l subscription-key -d 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -l api-version -d 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -l storage-connection-string -d 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -l container -d 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -l protocol -d 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]' -r -f -a "classic\t'Azure ML Studio (classic) RRS'
mlflow\t'MLflow scoring server `/invocations` (also Databricks Model Serving)'
azureml\t'Azure ML online endpoints and `azmlinfsrv` (`/score`)'
v2\t'Open Inference Protocol (KServe v2, MLServer, Triton)'
kserve-v1\t'KServe v1 (`/v1/models/M:predict`)'"
complete -c mlws -n "__fish_mlws_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -l url -d 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -l header -d 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -l deployment -d 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -l token-command -d 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -s v -l verbose -d 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
complete -c mlws -n "__fish_mlws_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -s q -l quiet -d 'Only errors on stderr'
complete -c mlws -n "__fish_mlws_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -l dry-run -d 'Print the request that would be sent (secrets masked) and send nothing'
complete -c mlws -n "__fish_mlws_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mlws -n "__fish_mlws_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -s V -l version -d 'Print version'
complete -c mlws -n "__fish_mlws_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -f -a "set" -d 'Set KEY to VALUE in the selected profile (`default_profile` at the top level)'
complete -c mlws -n "__fish_mlws_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -f -a "get" -d 'Print the value of KEY in the selected profile'
complete -c mlws -n "__fish_mlws_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -f -a "unset" -d 'Remove KEY from the selected profile'
complete -c mlws -n "__fish_mlws_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -f -a "list" -d 'Print every setting as resolved now'
complete -c mlws -n "__fish_mlws_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -f -a "path" -d 'Print the path of the config file'
complete -c mlws -n "__fish_mlws_using_subcommand config; and not __fish_seen_subcommand_from set get unset list path help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from set" -l timeout -d 'Time limit of each request, in seconds [default: 100]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from set" -l retries -d 'How many times a failed request is retried [default: 5]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from set" -s f -l output-format -d 'Output format of results' -r -f -a "csv\t''
tsv\t''
json\t''
table\t''
jsonl\t'JSON Lines: one object per row and line'
parquet\t'Parquet, in typed row groups (not to a terminal)'"
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from set" -l profile -d 'Profile of the config file to use [env: MLWS_PROFILE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from set" -l config -d 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]' -r -F
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from set" -l base-url -d 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from set" -l workspace -d 'Workspace id [env: MLWS_WORKSPACE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from set" -l service -d 'Service (endpoint) id [env: MLWS_SERVICE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from set" -l service-url -d 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from set" -l api-key -d 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from set" -l subscription-key -d 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from set" -l api-version -d 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from set" -l storage-connection-string -d 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from set" -l container -d 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from set" -l protocol -d 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]' -r -f -a "classic\t'Azure ML Studio (classic) RRS'
mlflow\t'MLflow scoring server `/invocations` (also Databricks Model Serving)'
azureml\t'Azure ML online endpoints and `azmlinfsrv` (`/score`)'
v2\t'Open Inference Protocol (KServe v2, MLServer, Triton)'
kserve-v1\t'KServe v1 (`/v1/models/M:predict`)'"
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from set" -l url -d 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from set" -l header -d 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from set" -l deployment -d 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from set" -l token-command -d 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from set" -s v -l verbose -d 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Only errors on stderr'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from set" -l dry-run -d 'Print the request that would be sent (secrets masked) and send nothing'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from get" -l timeout -d 'Time limit of each request, in seconds [default: 100]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from get" -l retries -d 'How many times a failed request is retried [default: 5]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from get" -s f -l output-format -d 'Output format of results' -r -f -a "csv\t''
tsv\t''
json\t''
table\t''
jsonl\t'JSON Lines: one object per row and line'
parquet\t'Parquet, in typed row groups (not to a terminal)'"
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from get" -l profile -d 'Profile of the config file to use [env: MLWS_PROFILE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from get" -l config -d 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]' -r -F
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from get" -l base-url -d 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from get" -l workspace -d 'Workspace id [env: MLWS_WORKSPACE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from get" -l service -d 'Service (endpoint) id [env: MLWS_SERVICE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from get" -l service-url -d 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from get" -l api-key -d 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from get" -l subscription-key -d 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from get" -l api-version -d 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from get" -l storage-connection-string -d 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from get" -l container -d 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from get" -l protocol -d 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]' -r -f -a "classic\t'Azure ML Studio (classic) RRS'
mlflow\t'MLflow scoring server `/invocations` (also Databricks Model Serving)'
azureml\t'Azure ML online endpoints and `azmlinfsrv` (`/score`)'
v2\t'Open Inference Protocol (KServe v2, MLServer, Triton)'
kserve-v1\t'KServe v1 (`/v1/models/M:predict`)'"
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from get" -l url -d 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from get" -l header -d 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from get" -l deployment -d 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from get" -l token-command -d 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from get" -s v -l verbose -d 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from get" -s q -l quiet -d 'Only errors on stderr'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from get" -l dry-run -d 'Print the request that would be sent (secrets masked) and send nothing'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from get" -s V -l version -d 'Print version'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from unset" -l timeout -d 'Time limit of each request, in seconds [default: 100]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from unset" -l retries -d 'How many times a failed request is retried [default: 5]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from unset" -s f -l output-format -d 'Output format of results' -r -f -a "csv\t''
tsv\t''
json\t''
table\t''
jsonl\t'JSON Lines: one object per row and line'
parquet\t'Parquet, in typed row groups (not to a terminal)'"
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from unset" -l profile -d 'Profile of the config file to use [env: MLWS_PROFILE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from unset" -l config -d 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]' -r -F
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from unset" -l base-url -d 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from unset" -l workspace -d 'Workspace id [env: MLWS_WORKSPACE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from unset" -l service -d 'Service (endpoint) id [env: MLWS_SERVICE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from unset" -l service-url -d 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from unset" -l api-key -d 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from unset" -l subscription-key -d 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from unset" -l api-version -d 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from unset" -l storage-connection-string -d 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from unset" -l container -d 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from unset" -l protocol -d 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]' -r -f -a "classic\t'Azure ML Studio (classic) RRS'
mlflow\t'MLflow scoring server `/invocations` (also Databricks Model Serving)'
azureml\t'Azure ML online endpoints and `azmlinfsrv` (`/score`)'
v2\t'Open Inference Protocol (KServe v2, MLServer, Triton)'
kserve-v1\t'KServe v1 (`/v1/models/M:predict`)'"
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from unset" -l url -d 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from unset" -l header -d 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from unset" -l deployment -d 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from unset" -l token-command -d 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from unset" -s v -l verbose -d 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from unset" -s q -l quiet -d 'Only errors on stderr'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from unset" -l dry-run -d 'Print the request that would be sent (secrets masked) and send nothing'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from unset" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from unset" -s V -l version -d 'Print version'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from list" -l timeout -d 'Time limit of each request, in seconds [default: 100]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from list" -l retries -d 'How many times a failed request is retried [default: 5]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from list" -s f -l output-format -d 'Output format of results' -r -f -a "csv\t''
tsv\t''
json\t''
table\t''
jsonl\t'JSON Lines: one object per row and line'
parquet\t'Parquet, in typed row groups (not to a terminal)'"
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from list" -l profile -d 'Profile of the config file to use [env: MLWS_PROFILE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from list" -l config -d 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]' -r -F
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from list" -l base-url -d 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from list" -l workspace -d 'Workspace id [env: MLWS_WORKSPACE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from list" -l service -d 'Service (endpoint) id [env: MLWS_SERVICE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from list" -l service-url -d 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from list" -l api-key -d 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from list" -l subscription-key -d 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from list" -l api-version -d 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from list" -l storage-connection-string -d 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from list" -l container -d 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from list" -l protocol -d 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]' -r -f -a "classic\t'Azure ML Studio (classic) RRS'
mlflow\t'MLflow scoring server `/invocations` (also Databricks Model Serving)'
azureml\t'Azure ML online endpoints and `azmlinfsrv` (`/score`)'
v2\t'Open Inference Protocol (KServe v2, MLServer, Triton)'
kserve-v1\t'KServe v1 (`/v1/models/M:predict`)'"
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from list" -l url -d 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from list" -l header -d 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from list" -l deployment -d 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from list" -l token-command -d 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from list" -l show-origin -d 'Show where each value came from (flag, env, profile, default)'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only errors on stderr'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from list" -l dry-run -d 'Print the request that would be sent (secrets masked) and send nothing'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from path" -l timeout -d 'Time limit of each request, in seconds [default: 100]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from path" -l retries -d 'How many times a failed request is retried [default: 5]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from path" -s f -l output-format -d 'Output format of results' -r -f -a "csv\t''
tsv\t''
json\t''
table\t''
jsonl\t'JSON Lines: one object per row and line'
parquet\t'Parquet, in typed row groups (not to a terminal)'"
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from path" -l profile -d 'Profile of the config file to use [env: MLWS_PROFILE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from path" -l config -d 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]' -r -F
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from path" -l base-url -d 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from path" -l workspace -d 'Workspace id [env: MLWS_WORKSPACE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from path" -l service -d 'Service (endpoint) id [env: MLWS_SERVICE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from path" -l service-url -d 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from path" -l api-key -d 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from path" -l subscription-key -d 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from path" -l api-version -d 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from path" -l storage-connection-string -d 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from path" -l container -d 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from path" -l protocol -d 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]' -r -f -a "classic\t'Azure ML Studio (classic) RRS'
mlflow\t'MLflow scoring server `/invocations` (also Databricks Model Serving)'
azureml\t'Azure ML online endpoints and `azmlinfsrv` (`/score`)'
v2\t'Open Inference Protocol (KServe v2, MLServer, Triton)'
kserve-v1\t'KServe v1 (`/v1/models/M:predict`)'"
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from path" -l url -d 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from path" -l header -d 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from path" -l deployment -d 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from path" -l token-command -d 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]' -r
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from path" -s v -l verbose -d 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from path" -s q -l quiet -d 'Only errors on stderr'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from path" -l dry-run -d 'Print the request that would be sent (secrets masked) and send nothing'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from path" -s V -l version -d 'Print version'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "set" -d 'Set KEY to VALUE in the selected profile (`default_profile` at the top level)'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "get" -d 'Print the value of KEY in the selected profile'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "unset" -d 'Remove KEY from the selected profile'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "list" -d 'Print every setting as resolved now'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "path" -d 'Print the path of the config file'
complete -c mlws -n "__fish_mlws_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mlws -n "__fish_mlws_using_subcommand apim; and not __fish_seen_subcommand_from export help" -l timeout -d 'Time limit of each request, in seconds [default: 100]' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and not __fish_seen_subcommand_from export help" -l retries -d 'How many times a failed request is retried [default: 5]' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and not __fish_seen_subcommand_from export help" -s f -l output-format -d 'Output format of results' -r -f -a "csv\t''
tsv\t''
json\t''
table\t''
jsonl\t'JSON Lines: one object per row and line'
parquet\t'Parquet, in typed row groups (not to a terminal)'"
complete -c mlws -n "__fish_mlws_using_subcommand apim; and not __fish_seen_subcommand_from export help" -l profile -d 'Profile of the config file to use [env: MLWS_PROFILE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and not __fish_seen_subcommand_from export help" -l config -d 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]' -r -F
complete -c mlws -n "__fish_mlws_using_subcommand apim; and not __fish_seen_subcommand_from export help" -l base-url -d 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and not __fish_seen_subcommand_from export help" -l workspace -d 'Workspace id [env: MLWS_WORKSPACE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and not __fish_seen_subcommand_from export help" -l service -d 'Service (endpoint) id [env: MLWS_SERVICE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and not __fish_seen_subcommand_from export help" -l service-url -d 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and not __fish_seen_subcommand_from export help" -l api-key -d 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and not __fish_seen_subcommand_from export help" -l subscription-key -d 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and not __fish_seen_subcommand_from export help" -l api-version -d 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and not __fish_seen_subcommand_from export help" -l storage-connection-string -d 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and not __fish_seen_subcommand_from export help" -l container -d 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and not __fish_seen_subcommand_from export help" -l protocol -d 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]' -r -f -a "classic\t'Azure ML Studio (classic) RRS'
mlflow\t'MLflow scoring server `/invocations` (also Databricks Model Serving)'
azureml\t'Azure ML online endpoints and `azmlinfsrv` (`/score`)'
v2\t'Open Inference Protocol (KServe v2, MLServer, Triton)'
kserve-v1\t'KServe v1 (`/v1/models/M:predict`)'"
complete -c mlws -n "__fish_mlws_using_subcommand apim; and not __fish_seen_subcommand_from export help" -l url -d 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and not __fish_seen_subcommand_from export help" -l header -d 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and not __fish_seen_subcommand_from export help" -l deployment -d 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and not __fish_seen_subcommand_from export help" -l token-command -d 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and not __fish_seen_subcommand_from export help" -s v -l verbose -d 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
complete -c mlws -n "__fish_mlws_using_subcommand apim; and not __fish_seen_subcommand_from export help" -s q -l quiet -d 'Only errors on stderr'
complete -c mlws -n "__fish_mlws_using_subcommand apim; and not __fish_seen_subcommand_from export help" -l dry-run -d 'Print the request that would be sent (secrets masked) and send nothing'
complete -c mlws -n "__fish_mlws_using_subcommand apim; and not __fish_seen_subcommand_from export help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mlws -n "__fish_mlws_using_subcommand apim; and not __fish_seen_subcommand_from export help" -s V -l version -d 'Print version'
complete -c mlws -n "__fish_mlws_using_subcommand apim; and not __fish_seen_subcommand_from export help" -f -a "export" -d 'Write the OpenAPI 3.0 document of the service\'s API, ready for `az apim api import --specification-format OpenApiJson`, and with --policy the API\'s policy XML'
complete -c mlws -n "__fish_mlws_using_subcommand apim; and not __fish_seen_subcommand_from export help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mlws -n "__fish_mlws_using_subcommand apim; and __fish_seen_subcommand_from export" -l title -d 'Title of the API [default: one naming the protocol]' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and __fish_seen_subcommand_from export" -l rate-limit -d 'Rate limit of the policy per subscription key, CALLS/SECS (SECS at most 300)' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and __fish_seen_subcommand_from export" -l quota -d 'Call quota of the policy per subscription key, CALLS/SECS' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and __fish_seen_subcommand_from export" -s o -l output -d 'Output file of the document, `-` for stdout; written to a temporary file and renamed' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and __fish_seen_subcommand_from export" -l policy -d 'Also write the API\'s policy XML to FILE: the limits, and `Authorization` set from the named value `ml-api-key` so that callers need only a subscription key' -r -F
complete -c mlws -n "__fish_mlws_using_subcommand apim; and __fish_seen_subcommand_from export" -l timeout -d 'Time limit of each request, in seconds [default: 100]' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and __fish_seen_subcommand_from export" -l retries -d 'How many times a failed request is retried [default: 5]' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and __fish_seen_subcommand_from export" -s f -l output-format -d 'Output format of results' -r -f -a "csv\t''
tsv\t''
json\t''
table\t''
jsonl\t'JSON Lines: one object per row and line'
parquet\t'Parquet, in typed row groups (not to a terminal)'"
complete -c mlws -n "__fish_mlws_using_subcommand apim; and __fish_seen_subcommand_from export" -l profile -d 'Profile of the config file to use [env: MLWS_PROFILE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and __fish_seen_subcommand_from export" -l config -d 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]' -r -F
complete -c mlws -n "__fish_mlws_using_subcommand apim; and __fish_seen_subcommand_from export" -l base-url -d 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and __fish_seen_subcommand_from export" -l workspace -d 'Workspace id [env: MLWS_WORKSPACE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and __fish_seen_subcommand_from export" -l service -d 'Service (endpoint) id [env: MLWS_SERVICE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and __fish_seen_subcommand_from export" -l service-url -d 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and __fish_seen_subcommand_from export" -l api-key -d 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and __fish_seen_subcommand_from export" -l subscription-key -d 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and __fish_seen_subcommand_from export" -l api-version -d 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and __fish_seen_subcommand_from export" -l storage-connection-string -d 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and __fish_seen_subcommand_from export" -l container -d 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and __fish_seen_subcommand_from export" -l protocol -d 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]' -r -f -a "classic\t'Azure ML Studio (classic) RRS'
mlflow\t'MLflow scoring server `/invocations` (also Databricks Model Serving)'
azureml\t'Azure ML online endpoints and `azmlinfsrv` (`/score`)'
v2\t'Open Inference Protocol (KServe v2, MLServer, Triton)'
kserve-v1\t'KServe v1 (`/v1/models/M:predict`)'"
complete -c mlws -n "__fish_mlws_using_subcommand apim; and __fish_seen_subcommand_from export" -l url -d 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and __fish_seen_subcommand_from export" -l header -d 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and __fish_seen_subcommand_from export" -l deployment -d 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and __fish_seen_subcommand_from export" -l token-command -d 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]' -r
complete -c mlws -n "__fish_mlws_using_subcommand apim; and __fish_seen_subcommand_from export" -s v -l verbose -d 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
complete -c mlws -n "__fish_mlws_using_subcommand apim; and __fish_seen_subcommand_from export" -s q -l quiet -d 'Only errors on stderr'
complete -c mlws -n "__fish_mlws_using_subcommand apim; and __fish_seen_subcommand_from export" -l dry-run -d 'Print the request that would be sent (secrets masked) and send nothing'
complete -c mlws -n "__fish_mlws_using_subcommand apim; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mlws -n "__fish_mlws_using_subcommand apim; and __fish_seen_subcommand_from export" -s V -l version -d 'Print version'
complete -c mlws -n "__fish_mlws_using_subcommand apim; and __fish_seen_subcommand_from help" -f -a "export" -d 'Write the OpenAPI 3.0 document of the service\'s API, ready for `az apim api import --specification-format OpenApiJson`, and with --policy the API\'s policy XML'
complete -c mlws -n "__fish_mlws_using_subcommand apim; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mlws -n "__fish_mlws_using_subcommand completions" -l timeout -d 'Time limit of each request, in seconds [default: 100]' -r
complete -c mlws -n "__fish_mlws_using_subcommand completions" -l retries -d 'How many times a failed request is retried [default: 5]' -r
complete -c mlws -n "__fish_mlws_using_subcommand completions" -s f -l output-format -d 'Output format of results' -r -f -a "csv\t''
tsv\t''
json\t''
table\t''
jsonl\t'JSON Lines: one object per row and line'
parquet\t'Parquet, in typed row groups (not to a terminal)'"
complete -c mlws -n "__fish_mlws_using_subcommand completions" -l profile -d 'Profile of the config file to use [env: MLWS_PROFILE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand completions" -l config -d 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]' -r -F
complete -c mlws -n "__fish_mlws_using_subcommand completions" -l base-url -d 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand completions" -l workspace -d 'Workspace id [env: MLWS_WORKSPACE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand completions" -l service -d 'Service (endpoint) id [env: MLWS_SERVICE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand completions" -l service-url -d 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand completions" -l api-key -d 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand completions" -l subscription-key -d 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand completions" -l api-version -d 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]' -r
complete -c mlws -n "__fish_mlws_using_subcommand completions" -l storage-connection-string -d 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]' -r
complete -c mlws -n "__fish_mlws_using_subcommand completions" -l container -d 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]' -r
complete -c mlws -n "__fish_mlws_using_subcommand completions" -l protocol -d 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]' -r -f -a "classic\t'Azure ML Studio (classic) RRS'
mlflow\t'MLflow scoring server `/invocations` (also Databricks Model Serving)'
azureml\t'Azure ML online endpoints and `azmlinfsrv` (`/score`)'
v2\t'Open Inference Protocol (KServe v2, MLServer, Triton)'
kserve-v1\t'KServe v1 (`/v1/models/M:predict`)'"
complete -c mlws -n "__fish_mlws_using_subcommand completions" -l url -d 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand completions" -l header -d 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)' -r
complete -c mlws -n "__fish_mlws_using_subcommand completions" -l deployment -d 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]' -r
complete -c mlws -n "__fish_mlws_using_subcommand completions" -l token-command -d 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]' -r
complete -c mlws -n "__fish_mlws_using_subcommand completions" -s v -l verbose -d 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
complete -c mlws -n "__fish_mlws_using_subcommand completions" -s q -l quiet -d 'Only errors on stderr'
complete -c mlws -n "__fish_mlws_using_subcommand completions" -l dry-run -d 'Print the request that would be sent (secrets masked) and send nothing'
complete -c mlws -n "__fish_mlws_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mlws -n "__fish_mlws_using_subcommand completions" -s V -l version -d 'Print version'
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l listen -d 'Address to listen on (port 0 picks a free port)' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l apim-suffix -d 'Put the API Management layer in front, at this URL suffix (e.g. `azureml-demo`); only with `--protocol classic`' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l rate-limit -d 'Rate limit of the API Management layer per subscription key, CALLS/SECS (429 + Retry-After)' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l quota -d 'Call quota of the API Management layer per subscription key, CALLS/SECS (403 + Retry-After)' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l apim-definition -d 'Build the API Management layer from this OpenAPI document (`mlws apim export`): only its operations are routed, anything else gets the gateway\'s 404' -r -F
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l apim-policy -d 'Apply this API Management policy XML: its rate-limit, quota and set-header (the named value `ml-api-key` is the emulator\'s API key)' -r -F
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l bits -d 'Default "Hashing bitsize" of the experiment (1-31)' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l ngrams -d 'Default "N-grams" of the experiment (0-10)' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l max-concurrency -d 'Concurrent scoring requests per endpoint before 503 RequestThrottled' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l storage-account -d 'Account name of the blob endpoint (served at /NAME/...)' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l storage-key -d 'Account key of the blob endpoint, base64 [default: random]' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l blob-dir -d 'Directory where the blob endpoint keeps its data, in a subdirectory removed on exit [default: the system\'s temporary directory]' -r -F
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l max-blob-size -d 'Largest blob the blob endpoint accepts: bytes, or with a K, M or G suffix (powers of 1024)' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l bes-status-style -d 'How BES status bodies are written: StatusCode names with `Results` (default), ints 0-4 with `Results` (int), or ints with the 2015-era singular `Result` (legacy)' -r -f -a "default\t''
int\t''
legacy\t''"
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l job-delay -d 'Seconds a started batch job stays Running before it does its work' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l log -d 'Append a JSON-lines request log to FILE: one line per request once it is answered (or dropped), with method, path, query, status, fault, sizes, rows scored and job id; keys appear only as the first 12 hex digits of their SHA-256, bodies never' -r -F
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l header-timeout -d 'Seconds a client may take to send a request\'s headers; also how long a kept-alive connection may stay idle' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l read-timeout -d 'Window, in seconds, in which a request body must bring at least 1 KiB a second until it ends; a slower or stalled body is cut off (408) and its connection closed' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l write-timeout -d 'Seconds writing an answer may make no progress (a client that reads nothing) before the connection is closed' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l fault-seed -d 'Seed of the fault generators: the same seed and order of calls give the same faults [default: random, printed on stderr]' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l fault-503 -d 'Fraction (0-1) of RRS calls answered 503 ServiceUnavailable/RequestThrottled, unscored' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l fault-429 -d 'Fraction (0-1) of RRS calls answered 429 with the gateway\'s rate-limit body and Retry-After, unscored (with or without --apim-suffix)' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l fault-drop -d 'Fraction (0-1) of RRS calls whose connection is closed without an answer once the request is read; unscored' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l fault-delay -d 'Delay before answering each RRS and BES call, in milliseconds: MS, or MIN-MAX for a random delay in that range' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l fault-status-503 -d 'Fraction (0-1) of BES status polls answered 503 ServiceUnavailable/RequestThrottled' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l fault-retry-after -d 'Retry-After, in seconds, of the injected 429s' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l timeout -d 'Time limit of each request, in seconds [default: 100]' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l retries -d 'How many times a failed request is retried [default: 5]' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -s f -l output-format -d 'Output format of results' -r -f -a "csv\t''
tsv\t''
json\t''
table\t''
jsonl\t'JSON Lines: one object per row and line'
parquet\t'Parquet, in typed row groups (not to a terminal)'"
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l profile -d 'Profile of the config file to use [env: MLWS_PROFILE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l config -d 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]' -r -F
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l base-url -d 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l workspace -d 'Workspace id [env: MLWS_WORKSPACE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l service -d 'Service (endpoint) id [env: MLWS_SERVICE]' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l service-url -d 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l api-key -d 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l subscription-key -d 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l api-version -d 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l storage-connection-string -d 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l container -d 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l protocol -d 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]' -r -f -a "classic\t'Azure ML Studio (classic) RRS'
mlflow\t'MLflow scoring server `/invocations` (also Databricks Model Serving)'
azureml\t'Azure ML online endpoints and `azmlinfsrv` (`/score`)'
v2\t'Open Inference Protocol (KServe v2, MLServer, Triton)'
kserve-v1\t'KServe v1 (`/v1/models/M:predict`)'"
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l url -d 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l header -d 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l deployment -d 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l token-command -d 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]' -r
complete -c mlws -n "__fish_mlws_using_subcommand serve" -s v -l verbose -d 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
complete -c mlws -n "__fish_mlws_using_subcommand serve" -s q -l quiet -d 'Only errors on stderr'
complete -c mlws -n "__fish_mlws_using_subcommand serve" -l dry-run -d 'Print the request that would be sent (secrets masked) and send nothing'
complete -c mlws -n "__fish_mlws_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mlws -n "__fish_mlws_using_subcommand serve" -s V -l version -d 'Print version'
complete -c mlws -n "__fish_mlws_using_subcommand help; and not __fish_seen_subcommand_from rrs score describe bes config apim completions serve help" -f -a "rrs" -d 'Request-response scoring'
complete -c mlws -n "__fish_mlws_using_subcommand help; and not __fish_seen_subcommand_from rrs score describe bes config apim completions serve help" -f -a "score" -d 'Score rows through any protocol (the same command as `rrs execute`)'
complete -c mlws -n "__fish_mlws_using_subcommand help; and not __fish_seen_subcommand_from rrs score describe bes config apim completions serve help" -f -a "describe" -d 'Print what the endpoint says about itself: inputs, outputs, parameters'
complete -c mlws -n "__fish_mlws_using_subcommand help; and not __fish_seen_subcommand_from rrs score describe bes config apim completions serve help" -f -a "bes" -d 'Batch execution jobs'
complete -c mlws -n "__fish_mlws_using_subcommand help; and not __fish_seen_subcommand_from rrs score describe bes config apim completions serve help" -f -a "config" -d 'Read and write the config file'
complete -c mlws -n "__fish_mlws_using_subcommand help; and not __fish_seen_subcommand_from rrs score describe bes config apim completions serve help" -f -a "apim" -d 'API Management as code: the API\'s OpenAPI document and policy'
complete -c mlws -n "__fish_mlws_using_subcommand help; and not __fish_seen_subcommand_from rrs score describe bes config apim completions serve help" -f -a "completions" -d 'Print a shell completion script'
complete -c mlws -n "__fish_mlws_using_subcommand help; and not __fish_seen_subcommand_from rrs score describe bes config apim completions serve help" -f -a "serve" -d 'Run a local emulator of the service (RRS, BES, API Management, blob storage)'
complete -c mlws -n "__fish_mlws_using_subcommand help; and not __fish_seen_subcommand_from rrs score describe bes config apim completions serve help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mlws -n "__fish_mlws_using_subcommand help; and __fish_seen_subcommand_from rrs" -f -a "execute" -d 'Score rows: CSV/TSV/JSON in, CSV/TSV/JSON/table out, in input order'
complete -c mlws -n "__fish_mlws_using_subcommand help; and __fish_seen_subcommand_from bes" -f -a "submit" -d 'Upload an input (unless it is `container/blob`) and submit a job; prints the job id'
complete -c mlws -n "__fish_mlws_using_subcommand help; and __fish_seen_subcommand_from bes" -f -a "start" -d 'Start a submitted job'
complete -c mlws -n "__fish_mlws_using_subcommand help; and __fish_seen_subcommand_from bes" -f -a "status" -d 'Print a job\'s state (`-f json`: the whole status body)'
complete -c mlws -n "__fish_mlws_using_subcommand help; and __fish_seen_subcommand_from bes" -f -a "delete" -d 'Delete (cancel) a job'
complete -c mlws -n "__fish_mlws_using_subcommand help; and __fish_seen_subcommand_from bes" -f -a "run" -d 'Upload, submit, start, wait and download the result, as the documentation\'s sample does'
complete -c mlws -n "__fish_mlws_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "set" -d 'Set KEY to VALUE in the selected profile (`default_profile` at the top level)'
complete -c mlws -n "__fish_mlws_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "get" -d 'Print the value of KEY in the selected profile'
complete -c mlws -n "__fish_mlws_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "unset" -d 'Remove KEY from the selected profile'
complete -c mlws -n "__fish_mlws_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "list" -d 'Print every setting as resolved now'
complete -c mlws -n "__fish_mlws_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "path" -d 'Print the path of the config file'
complete -c mlws -n "__fish_mlws_using_subcommand help; and __fish_seen_subcommand_from apim" -f -a "export" -d 'Write the OpenAPI 3.0 document of the service\'s API, ready for `az apim api import --specification-format OpenApiJson`, and with --policy the API\'s policy XML'
