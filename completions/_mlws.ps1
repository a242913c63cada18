
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'mlws' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'mlws'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'mlws' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit of each request, in seconds [default: 100]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How many times a failed request is retried [default: 5]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: MLWS_PROFILE]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Workspace id [env: MLWS_WORKSPACE]')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Service (endpoint) id [env: MLWS_SERVICE]')
            [CompletionResult]::new('--service-url', '--service-url', [CompletionResultType]::ParameterName, 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]')
            [CompletionResult]::new('--subscription-key', '--subscription-key', [CompletionResultType]::ParameterName, 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]')
            [CompletionResult]::new('--storage-connection-string', '--storage-connection-string', [CompletionResultType]::ParameterName, 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)')
            [CompletionResult]::new('--deployment', '--deployment', [CompletionResultType]::ParameterName, 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]')
            [CompletionResult]::new('--token-command', '--token-command', [CompletionResultType]::ParameterName, 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent (secrets masked) and send nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('rrs', 'rrs', [CompletionResultType]::ParameterValue, 'Request-response scoring')
            [CompletionResult]::new('score', 'score', [CompletionResultType]::ParameterValue, 'Score rows through any protocol (the same command as `rrs execute`)')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Print what the endpoint says about itself: inputs, outputs, parameters')
            [CompletionResult]::new('bes', 'bes', [CompletionResultType]::ParameterValue, 'Batch execution jobs')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Read and write the config file')
            [CompletionResult]::new('apim', 'apim', [CompletionResultType]::ParameterValue, 'API Management as code: the API''s OpenAPI document and policy')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run a local emulator of the service (RRS, BES, API Management, blob storage)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mlws;rrs' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit of each request, in seconds [default: 100]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How many times a failed request is retried [default: 5]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: MLWS_PROFILE]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Workspace id [env: MLWS_WORKSPACE]')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Service (endpoint) id [env: MLWS_SERVICE]')
            [CompletionResult]::new('--service-url', '--service-url', [CompletionResultType]::ParameterName, 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]')
            [CompletionResult]::new('--subscription-key', '--subscription-key', [CompletionResultType]::ParameterName, 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]')
            [CompletionResult]::new('--storage-connection-string', '--storage-connection-string', [CompletionResultType]::ParameterName, 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)')
            [CompletionResult]::new('--deployment', '--deployment', [CompletionResultType]::ParameterName, 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]')
            [CompletionResult]::new('--token-command', '--token-command', [CompletionResultType]::ParameterName, 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent (secrets masked) and send nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('execute', 'execute', [CompletionResultType]::ParameterValue, 'Score rows: CSV/TSV/JSON in, CSV/TSV/JSON/table out, in input order')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mlws;rrs;execute' {
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Input file, `-` for stdin')
            [CompletionResult]::new('--input', '--input', [CompletionResultType]::ParameterName, 'Input file, `-` for stdin')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Input format [default: from the file extension, else csv]')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'Field delimiter of CSV input: one character, or `tab` [default: `,`, or `;`, tab or `|` when the header has no comma and one of them]')
            [CompletionResult]::new('--output-delimiter', '--output-delimiter', [CompletionResultType]::ParameterName, 'Field delimiter of CSV output [default: the input''s]')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'Encoding of the input (WHATWG labels: utf-8, windows-1250, windows-1252, iso-8859-2, shift_jis, utf-16le, ...); a byte-order mark wins [default: utf-8]')
            [CompletionResult]::new('--output-encoding', '--output-encoding', [CompletionResultType]::ParameterName, 'Encoding of the output [default: utf-8]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'One row from the command line, a cell per flag (COL=VALUE); replaces --input')
            [CompletionResult]::new('--input-name', '--input-name', [CompletionResultType]::ParameterName, 'Web service input name (classic: default `input1`; v2 `--body-format tensor`: the tensor''s name, default from the model metadata, else `input-0`)')
            [CompletionResult]::new('--output-name', '--output-name', [CompletionResultType]::ParameterName, 'Web service output to print (classic: default `output1`); v2: an output to ask for (repeatable)')
            [CompletionResult]::new('--param', '--param', [CompletionResultType]::ParameterName, 'A parameter, NAME=VALUE, repeatable (classic `GlobalParameters`, MLflow and Azure ML `params`, v2 request `parameters`)')
            [CompletionResult]::new('--types', '--types', [CompletionResultType]::ParameterName, 'Types of input columns, COL=string|int|float|bool (comma-separated or repeated); they win over the service''s schema and over inference')
            [CompletionResult]::new('--body-format', '--body-format', [CompletionResultType]::ParameterName, 'Request body format: mlflow `split|records|csv`, azureml `input-data|data`, v2 `columns|tensor`, kserve-v1 `rows|columns` [default: the first of each]')
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'Input columns kept in the output: `all`, `none` or COL[,COL...] [default: all; classic: none, its service chooses its output columns]')
            [CompletionResult]::new('--on-bad-row', '--on-bad-row', [CompletionResultType]::ParameterName, 'What to do with rows the service refuses as bad input: stop (`fail`), or isolate them, score the rest and write them to --failed-rows (`skip`)')
            [CompletionResult]::new('--batch-size', '--batch-size', [CompletionResultType]::ParameterName, 'Rows per request (requests are also kept under 4 MB)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Requests in flight at once')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output file, `-` for stdout; written to a temporary file and renamed on success')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output file, `-` for stdout; written to a temporary file and renamed on success')
            [CompletionResult]::new('--failed-rows', '--failed-rows', [CompletionResultType]::ParameterName, 'Write the raw input rows that could not be scored to FILE')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit of each request, in seconds [default: 100]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How many times a failed request is retried [default: 5]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: MLWS_PROFILE]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Workspace id [env: MLWS_WORKSPACE]')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Service (endpoint) id [env: MLWS_SERVICE]')
            [CompletionResult]::new('--service-url', '--service-url', [CompletionResultType]::ParameterName, 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]')
            [CompletionResult]::new('--subscription-key', '--subscription-key', [CompletionResultType]::ParameterName, 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]')
            [CompletionResult]::new('--storage-connection-string', '--storage-connection-string', [CompletionResultType]::ParameterName, 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)')
            [CompletionResult]::new('--deployment', '--deployment', [CompletionResultType]::ParameterName, 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]')
            [CompletionResult]::new('--token-command', '--token-command', [CompletionResultType]::ParameterName, 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]')
            [CompletionResult]::new('--swagger', '--swagger', [CompletionResultType]::ParameterName, 'Use `format=swagger` bodies (rows as objects)')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue an interrupted run with the same --input and --output from its journal (OUTPUT.mlws-journal): rows already written are not sent again')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent (secrets masked) and send nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mlws;rrs;help' {
            [CompletionResult]::new('execute', 'execute', [CompletionResultType]::ParameterValue, 'Score rows: CSV/TSV/JSON in, CSV/TSV/JSON/table out, in input order')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mlws;rrs;help;execute' {
            break
        }
        'mlws;rrs;help;help' {
            break
        }
        'mlws;score' {
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Input file, `-` for stdin')
            [CompletionResult]::new('--input', '--input', [CompletionResultType]::ParameterName, 'Input file, `-` for stdin')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'Input format [default: from the file extension, else csv]')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'Field delimiter of CSV input: one character, or `tab` [default: `,`, or `;`, tab or `|` when the header has no comma and one of them]')
            [CompletionResult]::new('--output-delimiter', '--output-delimiter', [CompletionResultType]::ParameterName, 'Field delimiter of CSV output [default: the input''s]')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'Encoding of the input (WHATWG labels: utf-8, windows-1250, windows-1252, iso-8859-2, shift_jis, utf-16le, ...); a byte-order mark wins [default: utf-8]')
            [CompletionResult]::new('--output-encoding', '--output-encoding', [CompletionResultType]::ParameterName, 'Encoding of the output [default: utf-8]')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'One row from the command line, a cell per flag (COL=VALUE); replaces --input')
            [CompletionResult]::new('--input-name', '--input-name', [CompletionResultType]::ParameterName, 'Web service input name (classic: default `input1`; v2 `--body-format tensor`: the tensor''s name, default from the model metadata, else `input-0`)')
            [CompletionResult]::new('--output-name', '--output-name', [CompletionResultType]::ParameterName, 'Web service output to print (classic: default `output1`); v2: an output to ask for (repeatable)')
            [CompletionResult]::new('--param', '--param', [CompletionResultType]::ParameterName, 'A parameter, NAME=VALUE, repeatable (classic `GlobalParameters`, MLflow and Azure ML `params`, v2 request `parameters`)')
            [CompletionResult]::new('--types', '--types', [CompletionResultType]::ParameterName, 'Types of input columns, COL=string|int|float|bool (comma-separated or repeated); they win over the service''s schema and over inference')
            [CompletionResult]::new('--body-format', '--body-format', [CompletionResultType]::ParameterName, 'Request body format: mlflow `split|records|csv`, azureml `input-data|data`, v2 `columns|tensor`, kserve-v1 `rows|columns` [default: the first of each]')
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'Input columns kept in the output: `all`, `none` or COL[,COL...] [default: all; classic: none, its service chooses its output columns]')
            [CompletionResult]::new('--on-bad-row', '--on-bad-row', [CompletionResultType]::ParameterName, 'What to do with rows the service refuses as bad input: stop (`fail`), or isolate them, score the rest and write them to --failed-rows (`skip`)')
            [CompletionResult]::new('--batch-size', '--batch-size', [CompletionResultType]::ParameterName, 'Rows per request (requests are also kept under 4 MB)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Requests in flight at once')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output file, `-` for stdout; written to a temporary file and renamed on success')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output file, `-` for stdout; written to a temporary file and renamed on success')
            [CompletionResult]::new('--failed-rows', '--failed-rows', [CompletionResultType]::ParameterName, 'Write the raw input rows that could not be scored to FILE')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit of each request, in seconds [default: 100]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How many times a failed request is retried [default: 5]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: MLWS_PROFILE]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Workspace id [env: MLWS_WORKSPACE]')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Service (endpoint) id [env: MLWS_SERVICE]')
            [CompletionResult]::new('--service-url', '--service-url', [CompletionResultType]::ParameterName, 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]')
            [CompletionResult]::new('--subscription-key', '--subscription-key', [CompletionResultType]::ParameterName, 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]')
            [CompletionResult]::new('--storage-connection-string', '--storage-connection-string', [CompletionResultType]::ParameterName, 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)')
            [CompletionResult]::new('--deployment', '--deployment', [CompletionResultType]::ParameterName, 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]')
            [CompletionResult]::new('--token-command', '--token-command', [CompletionResultType]::ParameterName, 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]')
            [CompletionResult]::new('--swagger', '--swagger', [CompletionResultType]::ParameterName, 'Use `format=swagger` bodies (rows as objects)')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue an interrupted run with the same --input and --output from its journal (OUTPUT.mlws-journal): rows already written are not sent again')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent (secrets masked) and send nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mlws;describe' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit of each request, in seconds [default: 100]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How many times a failed request is retried [default: 5]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: MLWS_PROFILE]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Workspace id [env: MLWS_WORKSPACE]')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Service (endpoint) id [env: MLWS_SERVICE]')
            [CompletionResult]::new('--service-url', '--service-url', [CompletionResultType]::ParameterName, 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]')
            [CompletionResult]::new('--subscription-key', '--subscription-key', [CompletionResultType]::ParameterName, 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]')
            [CompletionResult]::new('--storage-connection-string', '--storage-connection-string', [CompletionResultType]::ParameterName, 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)')
            [CompletionResult]::new('--deployment', '--deployment', [CompletionResultType]::ParameterName, 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]')
            [CompletionResult]::new('--token-command', '--token-command', [CompletionResultType]::ParameterName, 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent (secrets masked) and send nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mlws;bes' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit of each request, in seconds [default: 100]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How many times a failed request is retried [default: 5]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: MLWS_PROFILE]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Workspace id [env: MLWS_WORKSPACE]')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Service (endpoint) id [env: MLWS_SERVICE]')
            [CompletionResult]::new('--service-url', '--service-url', [CompletionResultType]::ParameterName, 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]')
            [CompletionResult]::new('--subscription-key', '--subscription-key', [CompletionResultType]::ParameterName, 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]')
            [CompletionResult]::new('--storage-connection-string', '--storage-connection-string', [CompletionResultType]::ParameterName, 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)')
            [CompletionResult]::new('--deployment', '--deployment', [CompletionResultType]::ParameterName, 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]')
            [CompletionResult]::new('--token-command', '--token-command', [CompletionResultType]::ParameterName, 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent (secrets masked) and send nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('submit', 'submit', [CompletionResultType]::ParameterValue, 'Upload an input (unless it is `container/blob`) and submit a job; prints the job id')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start a submitted job')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Print a job''s state (`-f json`: the whole status body)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete (cancel) a job')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Upload, submit, start, wait and download the result, as the documentation''s sample does')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mlws;bes;submit' {
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Local input file, or `container/blob` already in storage')
            [CompletionResult]::new('--input', '--input', [CompletionResultType]::ParameterName, 'Local input file, or `container/blob` already in storage')
            [CompletionResult]::new('--input-name', '--input-name', [CompletionResultType]::ParameterName, 'Web service input name')
            [CompletionResult]::new('--output-blob', '--output-blob', [CompletionResultType]::ParameterName, 'Where the service should write output1 (`container/path.csv`)')
            [CompletionResult]::new('--param', '--param', [CompletionResultType]::ParameterName, 'A web service parameter (GlobalParameters), NAME=VALUE, repeatable')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit of each request, in seconds [default: 100]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How many times a failed request is retried [default: 5]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: MLWS_PROFILE]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Workspace id [env: MLWS_WORKSPACE]')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Service (endpoint) id [env: MLWS_SERVICE]')
            [CompletionResult]::new('--service-url', '--service-url', [CompletionResultType]::ParameterName, 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]')
            [CompletionResult]::new('--subscription-key', '--subscription-key', [CompletionResultType]::ParameterName, 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]')
            [CompletionResult]::new('--storage-connection-string', '--storage-connection-string', [CompletionResultType]::ParameterName, 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)')
            [CompletionResult]::new('--deployment', '--deployment', [CompletionResultType]::ParameterName, 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]')
            [CompletionResult]::new('--token-command', '--token-command', [CompletionResultType]::ParameterName, 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent (secrets masked) and send nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mlws;bes;start' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit of each request, in seconds [default: 100]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How many times a failed request is retried [default: 5]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: MLWS_PROFILE]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Workspace id [env: MLWS_WORKSPACE]')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Service (endpoint) id [env: MLWS_SERVICE]')
            [CompletionResult]::new('--service-url', '--service-url', [CompletionResultType]::ParameterName, 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]')
            [CompletionResult]::new('--subscription-key', '--subscription-key', [CompletionResultType]::ParameterName, 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]')
            [CompletionResult]::new('--storage-connection-string', '--storage-connection-string', [CompletionResultType]::ParameterName, 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)')
            [CompletionResult]::new('--deployment', '--deployment', [CompletionResultType]::ParameterName, 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]')
            [CompletionResult]::new('--token-command', '--token-command', [CompletionResultType]::ParameterName, 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent (secrets masked) and send nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mlws;bes;status' {
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'First delay between polls, in seconds (then backing off, capped at 30 s)')
            [CompletionResult]::new('--job-timeout', '--job-timeout', [CompletionResultType]::ParameterName, 'Give up waiting after SECS (exit 7)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit of each request, in seconds [default: 100]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How many times a failed request is retried [default: 5]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: MLWS_PROFILE]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Workspace id [env: MLWS_WORKSPACE]')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Service (endpoint) id [env: MLWS_SERVICE]')
            [CompletionResult]::new('--service-url', '--service-url', [CompletionResultType]::ParameterName, 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]')
            [CompletionResult]::new('--subscription-key', '--subscription-key', [CompletionResultType]::ParameterName, 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]')
            [CompletionResult]::new('--storage-connection-string', '--storage-connection-string', [CompletionResultType]::ParameterName, 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)')
            [CompletionResult]::new('--deployment', '--deployment', [CompletionResultType]::ParameterName, 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]')
            [CompletionResult]::new('--token-command', '--token-command', [CompletionResultType]::ParameterName, 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Poll until the job reaches a final state')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent (secrets masked) and send nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mlws;bes;delete' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit of each request, in seconds [default: 100]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How many times a failed request is retried [default: 5]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: MLWS_PROFILE]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Workspace id [env: MLWS_WORKSPACE]')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Service (endpoint) id [env: MLWS_SERVICE]')
            [CompletionResult]::new('--service-url', '--service-url', [CompletionResultType]::ParameterName, 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]')
            [CompletionResult]::new('--subscription-key', '--subscription-key', [CompletionResultType]::ParameterName, 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]')
            [CompletionResult]::new('--storage-connection-string', '--storage-connection-string', [CompletionResultType]::ParameterName, 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)')
            [CompletionResult]::new('--deployment', '--deployment', [CompletionResultType]::ParameterName, 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]')
            [CompletionResult]::new('--token-command', '--token-command', [CompletionResultType]::ParameterName, 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent (secrets masked) and send nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mlws;bes;run' {
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Local input file (CSV with a header row)')
            [CompletionResult]::new('--input', '--input', [CompletionResultType]::ParameterName, 'Local input file (CSV with a header row)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Where to write output1')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Where to write output1')
            [CompletionResult]::new('--output-dir', '--output-dir', [CompletionResultType]::ParameterName, 'Download every output into DIR (as NAME.csv)')
            [CompletionResult]::new('--input-name', '--input-name', [CompletionResultType]::ParameterName, 'Web service input name')
            [CompletionResult]::new('--param', '--param', [CompletionResultType]::ParameterName, 'A web service parameter (GlobalParameters), NAME=VALUE, repeatable')
            [CompletionResult]::new('--poll-interval', '--poll-interval', [CompletionResultType]::ParameterName, 'First delay between polls, in seconds (then backing off, capped at 30 s)')
            [CompletionResult]::new('--job-timeout', '--job-timeout', [CompletionResultType]::ParameterName, 'Give up (and delete the job) after SECS (exit 7)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit of each request, in seconds [default: 100]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How many times a failed request is retried [default: 5]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: MLWS_PROFILE]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Workspace id [env: MLWS_WORKSPACE]')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Service (endpoint) id [env: MLWS_SERVICE]')
            [CompletionResult]::new('--service-url', '--service-url', [CompletionResultType]::ParameterName, 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]')
            [CompletionResult]::new('--subscription-key', '--subscription-key', [CompletionResultType]::ParameterName, 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]')
            [CompletionResult]::new('--storage-connection-string', '--storage-connection-string', [CompletionResultType]::ParameterName, 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)')
            [CompletionResult]::new('--deployment', '--deployment', [CompletionResultType]::ParameterName, 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]')
            [CompletionResult]::new('--token-command', '--token-command', [CompletionResultType]::ParameterName, 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]')
            [CompletionResult]::new('--keep-job', '--keep-job', [CompletionResultType]::ParameterName, 'Do not delete the job on Ctrl-C or timeout')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue an interrupted run with the same `--output` (its progress is kept in OUTPUT.mlws-journal): blocks already staged are not sent again, a submitted job is re-attached, a download goes on where it stopped')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent (secrets masked) and send nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mlws;bes;help' {
            [CompletionResult]::new('submit', 'submit', [CompletionResultType]::ParameterValue, 'Upload an input (unless it is `container/blob`) and submit a job; prints the job id')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start a submitted job')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Print a job''s state (`-f json`: the whole status body)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete (cancel) a job')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Upload, submit, start, wait and download the result, as the documentation''s sample does')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mlws;bes;help;submit' {
            break
        }
        'mlws;bes;help;start' {
            break
        }
        'mlws;bes;help;status' {
            break
        }
        'mlws;bes;help;delete' {
            break
        }
        'mlws;bes;help;run' {
            break
        }
        'mlws;bes;help;help' {
            break
        }
        'mlws;config' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit of each request, in seconds [default: 100]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How many times a failed request is retried [default: 5]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: MLWS_PROFILE]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Workspace id [env: MLWS_WORKSPACE]')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Service (endpoint) id [env: MLWS_SERVICE]')
            [CompletionResult]::new('--service-url', '--service-url', [CompletionResultType]::ParameterName, 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]')
            [CompletionResult]::new('--subscription-key', '--subscription-key', [CompletionResultType]::ParameterName, 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]')
            [CompletionResult]::new('--storage-connection-string', '--storage-connection-string', [CompletionResultType]::ParameterName, 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)')
            [CompletionResult]::new('--deployment', '--deployment', [CompletionResultType]::ParameterName, 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]')
            [CompletionResult]::new('--token-command', '--token-command', [CompletionResultType]::ParameterName, 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent (secrets masked) and send nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set KEY to VALUE in the selected profile (`default_profile` at the top level)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print the value of KEY in the selected profile')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove KEY from the selected profile')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Print every setting as resolved now')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the path of the config file')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mlws;config;set' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit of each request, in seconds [default: 100]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How many times a failed request is retried [default: 5]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: MLWS_PROFILE]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Workspace id [env: MLWS_WORKSPACE]')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Service (endpoint) id [env: MLWS_SERVICE]')
            [CompletionResult]::new('--service-url', '--service-url', [CompletionResultType]::ParameterName, 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]')
            [CompletionResult]::new('--subscription-key', '--subscription-key', [CompletionResultType]::ParameterName, 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]')
            [CompletionResult]::new('--storage-connection-string', '--storage-connection-string', [CompletionResultType]::ParameterName, 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)')
            [CompletionResult]::new('--deployment', '--deployment', [CompletionResultType]::ParameterName, 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]')
            [CompletionResult]::new('--token-command', '--token-command', [CompletionResultType]::ParameterName, 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent (secrets masked) and send nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mlws;config;get' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit of each request, in seconds [default: 100]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How many times a failed request is retried [default: 5]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: MLWS_PROFILE]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Workspace id [env: MLWS_WORKSPACE]')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Service (endpoint) id [env: MLWS_SERVICE]')
            [CompletionResult]::new('--service-url', '--service-url', [CompletionResultType]::ParameterName, 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]')
            [CompletionResult]::new('--subscription-key', '--subscription-key', [CompletionResultType]::ParameterName, 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]')
            [CompletionResult]::new('--storage-connection-string', '--storage-connection-string', [CompletionResultType]::ParameterName, 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)')
            [CompletionResult]::new('--deployment', '--deployment', [CompletionResultType]::ParameterName, 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]')
            [CompletionResult]::new('--token-command', '--token-command', [CompletionResultType]::ParameterName, 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent (secrets masked) and send nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mlws;config;unset' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit of each request, in seconds [default: 100]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How many times a failed request is retried [default: 5]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: MLWS_PROFILE]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Workspace id [env: MLWS_WORKSPACE]')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Service (endpoint) id [env: MLWS_SERVICE]')
            [CompletionResult]::new('--service-url', '--service-url', [CompletionResultType]::ParameterName, 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]')
            [CompletionResult]::new('--subscription-key', '--subscription-key', [CompletionResultType]::ParameterName, 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]')
            [CompletionResult]::new('--storage-connection-string', '--storage-connection-string', [CompletionResultType]::ParameterName, 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)')
            [CompletionResult]::new('--deployment', '--deployment', [CompletionResultType]::ParameterName, 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]')
            [CompletionResult]::new('--token-command', '--token-command', [CompletionResultType]::ParameterName, 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent (secrets masked) and send nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mlws;config;list' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit of each request, in seconds [default: 100]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How many times a failed request is retried [default: 5]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: MLWS_PROFILE]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Workspace id [env: MLWS_WORKSPACE]')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Service (endpoint) id [env: MLWS_SERVICE]')
            [CompletionResult]::new('--service-url', '--service-url', [CompletionResultType]::ParameterName, 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]')
            [CompletionResult]::new('--subscription-key', '--subscription-key', [CompletionResultType]::ParameterName, 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]')
            [CompletionResult]::new('--storage-connection-string', '--storage-connection-string', [CompletionResultType]::ParameterName, 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)')
            [CompletionResult]::new('--deployment', '--deployment', [CompletionResultType]::ParameterName, 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]')
            [CompletionResult]::new('--token-command', '--token-command', [CompletionResultType]::ParameterName, 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]')
            [CompletionResult]::new('--show-origin', '--show-origin', [CompletionResultType]::ParameterName, 'Show where each value came from (flag, env, profile, default)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent (secrets masked) and send nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mlws;config;path' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit of each request, in seconds [default: 100]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How many times a failed request is retried [default: 5]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: MLWS_PROFILE]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Workspace id [env: MLWS_WORKSPACE]')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Service (endpoint) id [env: MLWS_SERVICE]')
            [CompletionResult]::new('--service-url', '--service-url', [CompletionResultType]::ParameterName, 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]')
            [CompletionResult]::new('--subscription-key', '--subscription-key', [CompletionResultType]::ParameterName, 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]')
            [CompletionResult]::new('--storage-connection-string', '--storage-connection-string', [CompletionResultType]::ParameterName, 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)')
            [CompletionResult]::new('--deployment', '--deployment', [CompletionResultType]::ParameterName, 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]')
            [CompletionResult]::new('--token-command', '--token-command', [CompletionResultType]::ParameterName, 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent (secrets masked) and send nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mlws;config;help' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set KEY to VALUE in the selected profile (`default_profile` at the top level)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print the value of KEY in the selected profile')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove KEY from the selected profile')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Print every setting as resolved now')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the path of the config file')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mlws;config;help;set' {
            break
        }
        'mlws;config;help;get' {
            break
        }
        'mlws;config;help;unset' {
            break
        }
        'mlws;config;help;list' {
            break
        }
        'mlws;config;help;path' {
            break
        }
        'mlws;config;help;help' {
            break
        }
        'mlws;apim' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit of each request, in seconds [default: 100]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How many times a failed request is retried [default: 5]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: MLWS_PROFILE]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Workspace id [env: MLWS_WORKSPACE]')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Service (endpoint) id [env: MLWS_SERVICE]')
            [CompletionResult]::new('--service-url', '--service-url', [CompletionResultType]::ParameterName, 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]')
            [CompletionResult]::new('--subscription-key', '--subscription-key', [CompletionResultType]::ParameterName, 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]')
            [CompletionResult]::new('--storage-connection-string', '--storage-connection-string', [CompletionResultType]::ParameterName, 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)')
            [CompletionResult]::new('--deployment', '--deployment', [CompletionResultType]::ParameterName, 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]')
            [CompletionResult]::new('--token-command', '--token-command', [CompletionResultType]::ParameterName, 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent (secrets masked) and send nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the OpenAPI 3.0 document of the service''s API, ready for `az apim api import --specification-format OpenApiJson`, and with --policy the API''s policy XML')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mlws;apim;export' {
            [CompletionResult]::new('--title', '--title', [CompletionResultType]::ParameterName, 'Title of the API [default: one naming the protocol]')
            [CompletionResult]::new('--rate-limit', '--rate-limit', [CompletionResultType]::ParameterName, 'Rate limit of the policy per subscription key, CALLS/SECS (SECS at most 300)')
            [CompletionResult]::new('--quota', '--quota', [CompletionResultType]::ParameterName, 'Call quota of the policy per subscription key, CALLS/SECS')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output file of the document, `-` for stdout; written to a temporary file and renamed')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output file of the document, `-` for stdout; written to a temporary file and renamed')
            [CompletionResult]::new('--policy', '--policy', [CompletionResultType]::ParameterName, 'Also write the API''s policy XML to FILE: the limits, and `Authorization` set from the named value `ml-api-key` so that callers need only a subscription key')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit of each request, in seconds [default: 100]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How many times a failed request is retried [default: 5]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: MLWS_PROFILE]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Workspace id [env: MLWS_WORKSPACE]')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Service (endpoint) id [env: MLWS_SERVICE]')
            [CompletionResult]::new('--service-url', '--service-url', [CompletionResultType]::ParameterName, 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]')
            [CompletionResult]::new('--subscription-key', '--subscription-key', [CompletionResultType]::ParameterName, 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]')
            [CompletionResult]::new('--storage-connection-string', '--storage-connection-string', [CompletionResultType]::ParameterName, 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)')
            [CompletionResult]::new('--deployment', '--deployment', [CompletionResultType]::ParameterName, 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]')
            [CompletionResult]::new('--token-command', '--token-command', [CompletionResultType]::ParameterName, 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent (secrets masked) and send nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mlws;apim;help' {
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the OpenAPI 3.0 document of the service''s API, ready for `az apim api import --specification-format OpenApiJson`, and with --policy the API''s policy XML')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mlws;apim;help;export' {
            break
        }
        'mlws;apim;help;help' {
            break
        }
        'mlws;completions' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit of each request, in seconds [default: 100]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How many times a failed request is retried [default: 5]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: MLWS_PROFILE]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Workspace id [env: MLWS_WORKSPACE]')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Service (endpoint) id [env: MLWS_SERVICE]')
            [CompletionResult]::new('--service-url', '--service-url', [CompletionResultType]::ParameterName, 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]')
            [CompletionResult]::new('--subscription-key', '--subscription-key', [CompletionResultType]::ParameterName, 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]')
            [CompletionResult]::new('--storage-connection-string', '--storage-connection-string', [CompletionResultType]::ParameterName, 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)')
            [CompletionResult]::new('--deployment', '--deployment', [CompletionResultType]::ParameterName, 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]')
            [CompletionResult]::new('--token-command', '--token-command', [CompletionResultType]::ParameterName, 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent (secrets masked) and send nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mlws;serve' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on (port 0 picks a free port)')
            [CompletionResult]::new('--apim-suffix', '--apim-suffix', [CompletionResultType]::ParameterName, 'Put the API Management layer in front, at this URL suffix (e.g. `azureml-demo`); only with `--protocol classic`')
            [CompletionResult]::new('--rate-limit', '--rate-limit', [CompletionResultType]::ParameterName, 'Rate limit of the API Management layer per subscription key, CALLS/SECS (429 + Retry-After)')
            [CompletionResult]::new('--quota', '--quota', [CompletionResultType]::ParameterName, 'Call quota of the API Management layer per subscription key, CALLS/SECS (403 + Retry-After)')
            [CompletionResult]::new('--apim-definition', '--apim-definition', [CompletionResultType]::ParameterName, 'Build the API Management layer from this OpenAPI document (`mlws apim export`): only its operations are routed, anything else gets the gateway''s 404')
            [CompletionResult]::new('--apim-policy', '--apim-policy', [CompletionResultType]::ParameterName, 'Apply this API Management policy XML: its rate-limit, quota and set-header (the named value `ml-api-key` is the emulator''s API key)')
            [CompletionResult]::new('--bits', '--bits', [CompletionResultType]::ParameterName, 'Default "Hashing bitsize" of the experiment (1-31)')
            [CompletionResult]::new('--ngrams', '--ngrams', [CompletionResultType]::ParameterName, 'Default "N-grams" of the experiment (0-10)')
            [CompletionResult]::new('--max-concurrency', '--max-concurrency', [CompletionResultType]::ParameterName, 'Concurrent scoring requests per endpoint before 503 RequestThrottled')
            [CompletionResult]::new('--storage-account', '--storage-account', [CompletionResultType]::ParameterName, 'Account name of the blob endpoint (served at /NAME/...)')
            [CompletionResult]::new('--storage-key', '--storage-key', [CompletionResultType]::ParameterName, 'Account key of the blob endpoint, base64 [default: random]')
            [CompletionResult]::new('--blob-dir', '--blob-dir', [CompletionResultType]::ParameterName, 'Directory where the blob endpoint keeps its data, in a subdirectory removed on exit [default: the system''s temporary directory]')
            [CompletionResult]::new('--max-blob-size', '--max-blob-size', [CompletionResultType]::ParameterName, 'Largest blob the blob endpoint accepts: bytes, or with a K, M or G suffix (powers of 1024)')
            [CompletionResult]::new('--bes-status-style', '--bes-status-style', [CompletionResultType]::ParameterName, 'How BES status bodies are written: StatusCode names with `Results` (default), ints 0-4 with `Results` (int), or ints with the 2015-era singular `Result` (legacy)')
            [CompletionResult]::new('--job-delay', '--job-delay', [CompletionResultType]::ParameterName, 'Seconds a started batch job stays Running before it does its work')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'Append a JSON-lines request log to FILE: one line per request once it is answered (or dropped), with method, path, query, status, fault, sizes, rows scored and job id; keys appear only as the first 12 hex digits of their SHA-256, bodies never')
            [CompletionResult]::new('--header-timeout', '--header-timeout', [CompletionResultType]::ParameterName, 'Seconds a client may take to send a request''s headers; also how long a kept-alive connection may stay idle')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'Window, in seconds, in which a request body must bring at least 1 KiB a second until it ends; a slower or stalled body is cut off (408) and its connection closed')
            [CompletionResult]::new('--write-timeout', '--write-timeout', [CompletionResultType]::ParameterName, 'Seconds writing an answer may make no progress (a client that reads nothing) before the connection is closed')
            [CompletionResult]::new('--fault-seed', '--fault-seed', [CompletionResultType]::ParameterName, 'Seed of the fault generators: the same seed and order of calls give the same faults [default: random, printed on stderr]')
            [CompletionResult]::new('--fault-503', '--fault-503', [CompletionResultType]::ParameterName, 'Fraction (0-1) of RRS calls answered 503 ServiceUnavailable/RequestThrottled, unscored')
            [CompletionResult]::new('--fault-429', '--fault-429', [CompletionResultType]::ParameterName, 'Fraction (0-1) of RRS calls answered 429 with the gateway''s rate-limit body and Retry-After, unscored (with or without --apim-suffix)')
            [CompletionResult]::new('--fault-drop', '--fault-drop', [CompletionResultType]::ParameterName, 'Fraction (0-1) of RRS calls whose connection is closed without an answer once the request is read; unscored')
            [CompletionResult]::new('--fault-delay', '--fault-delay', [CompletionResultType]::ParameterName, 'Delay before answering each RRS and BES call, in milliseconds: MS, or MIN-MAX for a random delay in that range')
            [CompletionResult]::new('--fault-status-503', '--fault-status-503', [CompletionResultType]::ParameterName, 'Fraction (0-1) of BES status polls answered 503 ServiceUnavailable/RequestThrottled')
            [CompletionResult]::new('--fault-retry-after', '--fault-retry-after', [CompletionResultType]::ParameterName, 'Retry-After, in seconds, of the injected 429s')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit of each request, in seconds [default: 100]')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How many times a failed request is retried [default: 5]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--output-format', '--output-format', [CompletionResultType]::ParameterName, 'Output format of results')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile of the config file to use [env: MLWS_PROFILE]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Workspace id [env: MLWS_WORKSPACE]')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Service (endpoint) id [env: MLWS_SERVICE]')
            [CompletionResult]::new('--service-url', '--service-url', [CompletionResultType]::ParameterName, 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]')
            [CompletionResult]::new('--subscription-key', '--subscription-key', [CompletionResultType]::ParameterName, 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]')
            [CompletionResult]::new('--api-version', '--api-version', [CompletionResultType]::ParameterName, 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]')
            [CompletionResult]::new('--storage-connection-string', '--storage-connection-string', [CompletionResultType]::ParameterName, 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'Protocol of the service [env: MLWS_PROTOCOL] [default: from the URL]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Scoring URL of any protocol (MLflow `/invocations`, Azure ML `/score`, v2 `/v2/models/M`, KServe v1 `/v1/models/M:predict`, a classic service) [env: MLWS_URL]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'An extra request header, `NAME: VALUE` (repeatable; values are masked like keys)')
            [CompletionResult]::new('--deployment', '--deployment', [CompletionResultType]::ParameterName, 'Azure ML deployment to score (sends `azureml-model-deployment`) [env: MLWS_DEPLOYMENT]')
            [CompletionResult]::new('--token-command', '--token-command', [CompletionResultType]::ParameterName, 'A shell command that prints a bearer token (or `az account get-access-token` JSON); run when needed and again before the token expires; replaces --api-key [env: MLWS_TOKEN_COMMAND]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors on stderr')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the request that would be sent (secrets masked) and send nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mlws;help' {
            [CompletionResult]::new('rrs', 'rrs', [CompletionResultType]::ParameterValue, 'Request-response scoring')
            [CompletionResult]::new('score', 'score', [CompletionResultType]::ParameterValue, 'Score rows through any protocol (the same command as `rrs execute`)')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Print what the endpoint says about itself: inputs, outputs, parameters')
            [CompletionResult]::new('bes', 'bes', [CompletionResultType]::ParameterValue, 'Batch execution jobs')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Read and write the config file')
            [CompletionResult]::new('apim', 'apim', [CompletionResultType]::ParameterValue, 'API Management as code: the API''s OpenAPI document and policy')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run a local emulator of the service (RRS, BES, API Management, blob storage)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mlws;help;rrs' {
            [CompletionResult]::new('execute', 'execute', [CompletionResultType]::ParameterValue, 'Score rows: CSV/TSV/JSON in, CSV/TSV/JSON/table out, in input order')
            break
        }
        'mlws;help;rrs;execute' {
            break
        }
        'mlws;help;score' {
            break
        }
        'mlws;help;describe' {
            break
        }
        'mlws;help;bes' {
            [CompletionResult]::new('submit', 'submit', [CompletionResultType]::ParameterValue, 'Upload an input (unless it is `container/blob`) and submit a job; prints the job id')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start a submitted job')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Print a job''s state (`-f json`: the whole status body)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete (cancel) a job')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Upload, submit, start, wait and download the result, as the documentation''s sample does')
            break
        }
        'mlws;help;bes;submit' {
            break
        }
        'mlws;help;bes;start' {
            break
        }
        'mlws;help;bes;status' {
            break
        }
        'mlws;help;bes;delete' {
            break
        }
        'mlws;help;bes;run' {
            break
        }
        'mlws;help;config' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set KEY to VALUE in the selected profile (`default_profile` at the top level)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print the value of KEY in the selected profile')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove KEY from the selected profile')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Print every setting as resolved now')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print the path of the config file')
            break
        }
        'mlws;help;config;set' {
            break
        }
        'mlws;help;config;get' {
            break
        }
        'mlws;help;config;unset' {
            break
        }
        'mlws;help;config;list' {
            break
        }
        'mlws;help;config;path' {
            break
        }
        'mlws;help;apim' {
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the OpenAPI 3.0 document of the service''s API, ready for `az apim api import --specification-format OpenApiJson`, and with --policy the API''s policy XML')
            break
        }
        'mlws;help;apim;export' {
            break
        }
        'mlws;help;completions' {
            break
        }
        'mlws;help;serve' {
            break
        }
        'mlws;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
