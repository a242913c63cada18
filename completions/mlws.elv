
use builtin;
use str;

set edit:completion:arg-completer[mlws] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'mlws'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'mlws'= {
            cand --timeout 'Time limit of each request, in seconds [default: 100]'
            cand --retries 'How many times a failed request is retried [default: 5]'
            cand -f 'Output format of results'
            cand --output-format 'Output format of results'
            cand --profile 'Profile of the config file to use [env: MLWS_PROFILE]'
            cand --config 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]'
            cand --base-url 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]'
            cand --workspace 'Workspace id [env: MLWS_WORKSPACE]'
            cand --service 'Service (endpoint) id [env: MLWS_SERVICE]'
            cand --service-url 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]'
            cand --api-key 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]'
            cand --subscription-key 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]'
            cand --api-version 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]'
            cand --storage-connection-string 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]'
            cand --container 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]'
            cand -v 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand --verbose 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --dry-run 'Print the request that would be sent (secrets masked) and send nothing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand rrs 'Request-response scoring'
            cand bes 'Batch execution jobs'
            cand config 'Read and write the config file'
            cand completions 'Print a shell completion script'
            cand serve 'Run a local emulator of the service (RRS, BES, API Management, blob storage)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mlws;rrs'= {
            cand --timeout 'Time limit of each request, in seconds [default: 100]'
            cand --retries 'How many times a failed request is retried [default: 5]'
            cand -f 'Output format of results'
            cand --output-format 'Output format of results'
            cand --profile 'Profile of the config file to use [env: MLWS_PROFILE]'
            cand --config 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]'
            cand --base-url 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]'
            cand --workspace 'Workspace id [env: MLWS_WORKSPACE]'
            cand --service 'Service (endpoint) id [env: MLWS_SERVICE]'
            cand --service-url 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]'
            cand --api-key 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]'
            cand --subscription-key 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]'
            cand --api-version 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]'
            cand --storage-connection-string 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]'
            cand --container 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]'
            cand -v 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand --verbose 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --dry-run 'Print the request that would be sent (secrets masked) and send nothing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand execute 'Score rows: CSV/TSV/JSON in, CSV/TSV/JSON/table out, in input order'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mlws;rrs;execute'= {
            cand -i 'Input file, `-` for stdin'
            cand --input 'Input file, `-` for stdin'
            cand --input-format 'Input format [default: from the file extension, else csv]'
            cand --record 'One row from the command line, a cell per flag (COL=VALUE); replaces --input'
            cand --input-name 'Web service input name'
            cand --output-name 'Web service output to print'
            cand --param 'A web service parameter (GlobalParameters), NAME=VALUE, repeatable'
            cand --batch-size 'Rows per request (requests are also kept under 4 MB)'
            cand --concurrency 'Requests in flight at once'
            cand -o 'Output file, `-` for stdout; written to a temporary file and renamed on success'
            cand --output 'Output file, `-` for stdout; written to a temporary file and renamed on success'
            cand --failed-rows 'Write the raw input rows that could not be scored to FILE'
            cand --timeout 'Time limit of each request, in seconds [default: 100]'
            cand --retries 'How many times a failed request is retried [default: 5]'
            cand -f 'Output format of results'
            cand --output-format 'Output format of results'
            cand --profile 'Profile of the config file to use [env: MLWS_PROFILE]'
            cand --config 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]'
            cand --base-url 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]'
            cand --workspace 'Workspace id [env: MLWS_WORKSPACE]'
            cand --service 'Service (endpoint) id [env: MLWS_SERVICE]'
            cand --service-url 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]'
            cand --api-key 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]'
            cand --subscription-key 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]'
            cand --api-version 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]'
            cand --storage-connection-string 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]'
            cand --container 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]'
            cand --swagger 'Use `format=swagger` bodies (rows as objects)'
            cand -v 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand --verbose 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --dry-run 'Print the request that would be sent (secrets masked) and send nothing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mlws;rrs;help'= {
            cand execute 'Score rows: CSV/TSV/JSON in, CSV/TSV/JSON/table out, in input order'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mlws;rrs;help;execute'= {
        }
        &'mlws;rrs;help;help'= {
        }
        &'mlws;bes'= {
            cand --timeout 'Time limit of each request, in seconds [default: 100]'
            cand --retries 'How many times a failed request is retried [default: 5]'
            cand -f 'Output format of results'
            cand --output-format 'Output format of results'
            cand --profile 'Profile of the config file to use [env: MLWS_PROFILE]'
            cand --config 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]'
            cand --base-url 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]'
            cand --workspace 'Workspace id [env: MLWS_WORKSPACE]'
            cand --service 'Service (endpoint) id [env: MLWS_SERVICE]'
            cand --service-url 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]'
            cand --api-key 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]'
            cand --subscription-key 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]'
            cand --api-version 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]'
            cand --storage-connection-string 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]'
            cand --container 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]'
            cand -v 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand --verbose 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --dry-run 'Print the request that would be sent (secrets masked) and send nothing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand submit 'Upload an input (unless it is `container/blob`) and submit a job; prints the job id'
            cand start 'Start a submitted job'
            cand status 'Print a job''s state (`-f json`: the whole status body)'
            cand delete 'Delete (cancel) a job'
            cand run 'Upload, submit, start, wait and download the result, as the documentation''s sample does'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mlws;bes;submit'= {
            cand -i 'Local input file, or `container/blob` already in storage'
            cand --input 'Local input file, or `container/blob` already in storage'
            cand --input-name 'Web service input name'
            cand --output-blob 'Where the service should write output1 (`container/path.csv`)'
            cand --param 'A web service parameter (GlobalParameters), NAME=VALUE, repeatable'
            cand --timeout 'Time limit of each request, in seconds [default: 100]'
            cand --retries 'How many times a failed request is retried [default: 5]'
            cand -f 'Output format of results'
            cand --output-format 'Output format of results'
            cand --profile 'Profile of the config file to use [env: MLWS_PROFILE]'
            cand --config 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]'
            cand --base-url 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]'
            cand --workspace 'Workspace id [env: MLWS_WORKSPACE]'
            cand --service 'Service (endpoint) id [env: MLWS_SERVICE]'
            cand --service-url 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]'
            cand --api-key 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]'
            cand --subscription-key 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]'
            cand --api-version 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]'
            cand --storage-connection-string 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]'
            cand --container 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]'
            cand -v 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand --verbose 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --dry-run 'Print the request that would be sent (secrets masked) and send nothing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mlws;bes;start'= {
            cand --timeout 'Time limit of each request, in seconds [default: 100]'
            cand --retries 'How many times a failed request is retried [default: 5]'
            cand -f 'Output format of results'
            cand --output-format 'Output format of results'
            cand --profile 'Profile of the config file to use [env: MLWS_PROFILE]'
            cand --config 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]'
            cand --base-url 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]'
            cand --workspace 'Workspace id [env: MLWS_WORKSPACE]'
            cand --service 'Service (endpoint) id [env: MLWS_SERVICE]'
            cand --service-url 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]'
            cand --api-key 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]'
            cand --subscription-key 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]'
            cand --api-version 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]'
            cand --storage-connection-string 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]'
            cand --container 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]'
            cand -v 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand --verbose 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --dry-run 'Print the request that would be sent (secrets masked) and send nothing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mlws;bes;status'= {
            cand --poll-interval 'First delay between polls, in seconds (then backing off, capped at 30 s)'
            cand --job-timeout 'Give up waiting after SECS (exit 7)'
            cand --timeout 'Time limit of each request, in seconds [default: 100]'
            cand --retries 'How many times a failed request is retried [default: 5]'
            cand -f 'Output format of results'
            cand --output-format 'Output format of results'
            cand --profile 'Profile of the config file to use [env: MLWS_PROFILE]'
            cand --config 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]'
            cand --base-url 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]'
            cand --workspace 'Workspace id [env: MLWS_WORKSPACE]'
            cand --service 'Service (endpoint) id [env: MLWS_SERVICE]'
            cand --service-url 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]'
            cand --api-key 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]'
            cand --subscription-key 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]'
            cand --api-version 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]'
            cand --storage-connection-string 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]'
            cand --container 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]'
            cand --wait 'Poll until the job reaches a final state'
            cand -v 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand --verbose 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --dry-run 'Print the request that would be sent (secrets masked) and send nothing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mlws;bes;delete'= {
            cand --timeout 'Time limit of each request, in seconds [default: 100]'
            cand --retries 'How many times a failed request is retried [default: 5]'
            cand -f 'Output format of results'
            cand --output-format 'Output format of results'
            cand --profile 'Profile of the config file to use [env: MLWS_PROFILE]'
            cand --config 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]'
            cand --base-url 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]'
            cand --workspace 'Workspace id [env: MLWS_WORKSPACE]'
            cand --service 'Service (endpoint) id [env: MLWS_SERVICE]'
            cand --service-url 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]'
            cand --api-key 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]'
            cand --subscription-key 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]'
            cand --api-version 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]'
            cand --storage-connection-string 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]'
            cand --container 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]'
            cand -v 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand --verbose 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --dry-run 'Print the request that would be sent (secrets masked) and send nothing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mlws;bes;run'= {
            cand -i 'Local input file (CSV with a header row)'
            cand --input 'Local input file (CSV with a header row)'
            cand -o 'Where to write output1'
            cand --output 'Where to write output1'
            cand --output-dir 'Download every output into DIR (as NAME.csv)'
            cand --input-name 'Web service input name'
            cand --param 'A web service parameter (GlobalParameters), NAME=VALUE, repeatable'
            cand --poll-interval 'First delay between polls, in seconds (then backing off, capped at 30 s)'
            cand --job-timeout 'Give up (and delete the job) after SECS (exit 7)'
            cand --timeout 'Time limit of each request, in seconds [default: 100]'
            cand --retries 'How many times a failed request is retried [default: 5]'
            cand -f 'Output format of results'
            cand --output-format 'Output format of results'
            cand --profile 'Profile of the config file to use [env: MLWS_PROFILE]'
            cand --config 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]'
            cand --base-url 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]'
            cand --workspace 'Workspace id [env: MLWS_WORKSPACE]'
            cand --service 'Service (endpoint) id [env: MLWS_SERVICE]'
            cand --service-url 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]'
            cand --api-key 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]'
            cand --subscription-key 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]'
            cand --api-version 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]'
            cand --storage-connection-string 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]'
            cand --container 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]'
            cand --keep-job 'Do not delete the job on Ctrl-C or timeout'
            cand -v 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand --verbose 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --dry-run 'Print the request that would be sent (secrets masked) and send nothing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mlws;bes;help'= {
            cand submit 'Upload an input (unless it is `container/blob`) and submit a job; prints the job id'
            cand start 'Start a submitted job'
            cand status 'Print a job''s state (`-f json`: the whole status body)'
            cand delete 'Delete (cancel) a job'
            cand run 'Upload, submit, start, wait and download the result, as the documentation''s sample does'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mlws;bes;help;submit'= {
        }
        &'mlws;bes;help;start'= {
        }
        &'mlws;bes;help;status'= {
        }
        &'mlws;bes;help;delete'= {
        }
        &'mlws;bes;help;run'= {
        }
        &'mlws;bes;help;help'= {
        }
        &'mlws;config'= {
            cand --timeout 'Time limit of each request, in seconds [default: 100]'
            cand --retries 'How many times a failed request is retried [default: 5]'
            cand -f 'Output format of results'
            cand --output-format 'Output format of results'
            cand --profile 'Profile of the config file to use [env: MLWS_PROFILE]'
            cand --config 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]'
            cand --base-url 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]'
            cand --workspace 'Workspace id [env: MLWS_WORKSPACE]'
            cand --service 'Service (endpoint) id [env: MLWS_SERVICE]'
            cand --service-url 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]'
            cand --api-key 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]'
            cand --subscription-key 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]'
            cand --api-version 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]'
            cand --storage-connection-string 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]'
            cand --container 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]'
            cand -v 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand --verbose 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --dry-run 'Print the request that would be sent (secrets masked) and send nothing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand set 'Set KEY to VALUE in the selected profile (`default_profile` at the top level)'
            cand get 'Print the value of KEY in the selected profile'
            cand unset 'Remove KEY from the selected profile'
            cand list 'Print every setting as resolved now'
            cand path 'Print the path of the config file'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mlws;config;set'= {
            cand --timeout 'Time limit of each request, in seconds [default: 100]'
            cand --retries 'How many times a failed request is retried [default: 5]'
            cand -f 'Output format of results'
            cand --output-format 'Output format of results'
            cand --profile 'Profile of the config file to use [env: MLWS_PROFILE]'
            cand --config 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]'
            cand --base-url 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]'
            cand --workspace 'Workspace id [env: MLWS_WORKSPACE]'
            cand --service 'Service (endpoint) id [env: MLWS_SERVICE]'
            cand --service-url 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]'
            cand --api-key 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]'
            cand --subscription-key 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]'
            cand --api-version 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]'
            cand --storage-connection-string 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]'
            cand --container 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]'
            cand -v 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand --verbose 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --dry-run 'Print the request that would be sent (secrets masked) and send nothing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mlws;config;get'= {
            cand --timeout 'Time limit of each request, in seconds [default: 100]'
            cand --retries 'How many times a failed request is retried [default: 5]'
            cand -f 'Output format of results'
            cand --output-format 'Output format of results'
            cand --profile 'Profile of the config file to use [env: MLWS_PROFILE]'
            cand --config 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]'
            cand --base-url 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]'
            cand --workspace 'Workspace id [env: MLWS_WORKSPACE]'
            cand --service 'Service (endpoint) id [env: MLWS_SERVICE]'
            cand --service-url 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]'
            cand --api-key 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]'
            cand --subscription-key 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]'
            cand --api-version 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]'
            cand --storage-connection-string 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]'
            cand --container 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]'
            cand -v 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand --verbose 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --dry-run 'Print the request that would be sent (secrets masked) and send nothing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mlws;config;unset'= {
            cand --timeout 'Time limit of each request, in seconds [default: 100]'
            cand --retries 'How many times a failed request is retried [default: 5]'
            cand -f 'Output format of results'
            cand --output-format 'Output format of results'
            cand --profile 'Profile of the config file to use [env: MLWS_PROFILE]'
            cand --config 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]'
            cand --base-url 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]'
            cand --workspace 'Workspace id [env: MLWS_WORKSPACE]'
            cand --service 'Service (endpoint) id [env: MLWS_SERVICE]'
            cand --service-url 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]'
            cand --api-key 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]'
            cand --subscription-key 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]'
            cand --api-version 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]'
            cand --storage-connection-string 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]'
            cand --container 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]'
            cand -v 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand --verbose 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --dry-run 'Print the request that would be sent (secrets masked) and send nothing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mlws;config;list'= {
            cand --timeout 'Time limit of each request, in seconds [default: 100]'
            cand --retries 'How many times a failed request is retried [default: 5]'
            cand -f 'Output format of results'
            cand --output-format 'Output format of results'
            cand --profile 'Profile of the config file to use [env: MLWS_PROFILE]'
            cand --config 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]'
            cand --base-url 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]'
            cand --workspace 'Workspace id [env: MLWS_WORKSPACE]'
            cand --service 'Service (endpoint) id [env: MLWS_SERVICE]'
            cand --service-url 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]'
            cand --api-key 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]'
            cand --subscription-key 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]'
            cand --api-version 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]'
            cand --storage-connection-string 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]'
            cand --container 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]'
            cand --show-origin 'Show where each value came from (flag, env, profile, default)'
            cand -v 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand --verbose 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --dry-run 'Print the request that would be sent (secrets masked) and send nothing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mlws;config;path'= {
            cand --timeout 'Time limit of each request, in seconds [default: 100]'
            cand --retries 'How many times a failed request is retried [default: 5]'
            cand -f 'Output format of results'
            cand --output-format 'Output format of results'
            cand --profile 'Profile of the config file to use [env: MLWS_PROFILE]'
            cand --config 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]'
            cand --base-url 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]'
            cand --workspace 'Workspace id [env: MLWS_WORKSPACE]'
            cand --service 'Service (endpoint) id [env: MLWS_SERVICE]'
            cand --service-url 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]'
            cand --api-key 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]'
            cand --subscription-key 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]'
            cand --api-version 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]'
            cand --storage-connection-string 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]'
            cand --container 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]'
            cand -v 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand --verbose 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --dry-run 'Print the request that would be sent (secrets masked) and send nothing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mlws;config;help'= {
            cand set 'Set KEY to VALUE in the selected profile (`default_profile` at the top level)'
            cand get 'Print the value of KEY in the selected profile'
            cand unset 'Remove KEY from the selected profile'
            cand list 'Print every setting as resolved now'
            cand path 'Print the path of the config file'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mlws;config;help;set'= {
        }
        &'mlws;config;help;get'= {
        }
        &'mlws;config;help;unset'= {
        }
        &'mlws;config;help;list'= {
        }
        &'mlws;config;help;path'= {
        }
        &'mlws;config;help;help'= {
        }
        &'mlws;completions'= {
            cand --timeout 'Time limit of each request, in seconds [default: 100]'
            cand --retries 'How many times a failed request is retried [default: 5]'
            cand -f 'Output format of results'
            cand --output-format 'Output format of results'
            cand --profile 'Profile of the config file to use [env: MLWS_PROFILE]'
            cand --config 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]'
            cand --base-url 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]'
            cand --workspace 'Workspace id [env: MLWS_WORKSPACE]'
            cand --service 'Service (endpoint) id [env: MLWS_SERVICE]'
            cand --service-url 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]'
            cand --api-key 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]'
            cand --subscription-key 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]'
            cand --api-version 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]'
            cand --storage-connection-string 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]'
            cand --container 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]'
            cand -v 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand --verbose 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --dry-run 'Print the request that would be sent (secrets masked) and send nothing'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mlws;serve'= {
            cand --listen 'Address to listen on (port 0 picks a free port)'
            cand --apim-suffix 'Put the API Management layer in front, at this URL suffix (e.g. `azureml-demo`)'
            cand --rate-limit 'Rate limit of the API Management layer per subscription key, CALLS/SECS (429 + Retry-After)'
            cand --quota 'Call quota of the API Management layer per subscription key, CALLS/SECS (403 + Retry-After)'
            cand --bits 'Default "Hashing bitsize" of the experiment (1-31)'
            cand --ngrams 'Default "N-grams" of the experiment (0-10)'
            cand --max-concurrency 'Concurrent scoring requests per endpoint before 503 RequestThrottled'
            cand --timeout 'Time limit of each request, in seconds [default: 100]'
            cand --retries 'How many times a failed request is retried [default: 5]'
            cand -f 'Output format of results'
            cand --output-format 'Output format of results'
            cand --profile 'Profile of the config file to use [env: MLWS_PROFILE]'
            cand --config 'Config file [env: MLWS_CONFIG] [default: <config dir>/mlws/config.toml]'
            cand --base-url 'Service host, or an API Management gateway URL with its API suffix [env: MLWS_BASE_URL]'
            cand --workspace 'Workspace id [env: MLWS_WORKSPACE]'
            cand --service 'Service (endpoint) id [env: MLWS_SERVICE]'
            cand --service-url 'Whole service URL: the service root or any operation URL copied from a help page [env: MLWS_SERVICE_URL]'
            cand --api-key 'API key (`Authorization: Bearer`); `@FILE` reads a file, `-` reads stdin [env: MLWS_API_KEY]'
            cand --subscription-key 'API Management subscription key; `@FILE` or `-` as for --api-key [env: MLWS_SUBSCRIPTION_KEY]'
            cand --api-version 'api-version query value [env: MLWS_API_VERSION] [default: 2.0]'
            cand --storage-connection-string 'Storage connection string for batch inputs and outputs; `@FILE` or `-` as for --api-key [env: MLWS_STORAGE_CONNECTION_STRING, AZURE_STORAGE_CONNECTION_STRING]'
            cand --container 'Blob container for batch inputs and outputs [env: MLWS_CONTAINER] [default: mlws]'
            cand -v 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand --verbose 'More detail on stderr (repeat for more: -v requests, -vv headers, -vvv bodies)'
            cand -q 'Only errors on stderr'
            cand --quiet 'Only errors on stderr'
            cand --dry-run 'Print the request that would be sent (secrets masked) and send nothing'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mlws;help'= {
            cand rrs 'Request-response scoring'
            cand bes 'Batch execution jobs'
            cand config 'Read and write the config file'
            cand completions 'Print a shell completion script'
            cand serve 'Run a local emulator of the service (RRS, BES, API Management, blob storage)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mlws;help;rrs'= {
            cand execute 'Score rows: CSV/TSV/JSON in, CSV/TSV/JSON/table out, in input order'
        }
        &'mlws;help;rrs;execute'= {
        }
        &'mlws;help;bes'= {
            cand submit 'Upload an input (unless it is `container/blob`) and submit a job; prints the job id'
            cand start 'Start a submitted job'
            cand status 'Print a job''s state (`-f json`: the whole status body)'
            cand delete 'Delete (cancel) a job'
            cand run 'Upload, submit, start, wait and download the result, as the documentation''s sample does'
        }
        &'mlws;help;bes;submit'= {
        }
        &'mlws;help;bes;start'= {
        }
        &'mlws;help;bes;status'= {
        }
        &'mlws;help;bes;delete'= {
        }
        &'mlws;help;bes;run'= {
        }
        &'mlws;help;config'= {
            cand set 'Set KEY to VALUE in the selected profile (`default_profile` at the top level)'
            cand get 'Print the value of KEY in the selected profile'
            cand unset 'Remove KEY from the selected profile'
            cand list 'Print every setting as resolved now'
            cand path 'Print the path of the config file'
        }
        &'mlws;help;config;set'= {
        }
        &'mlws;help;config;get'= {
        }
        &'mlws;help;config;unset'= {
        }
        &'mlws;help;config;list'= {
        }
        &'mlws;help;config;path'= {
        }
        &'mlws;help;completions'= {
        }
        &'mlws;help;serve'= {
        }
        &'mlws;help;help'= {
        }
    ]
    $completions[$command]
}
