using System.CommandLine;
using Wafer.Runtime.Catalog.S3;
using Wafer.Runtime.Hosting;
using Wafer.Storage.S3;

namespace Wafer.Cli.Commands;

/// <summary>
/// The flags and variables Hypermode Runtime and Modus users start a runtime with, shared by <c>serve</c> and
/// <c>runtime</c> (docs/hypermode-modus.md): S3 plugin storage, <c>--dgraph</c>, <c>--modelHost</c>, the secret sources,
/// the state database and the environment's name. <c>--plugin</c> and single-dash flags are handled where options are
/// declared and in <see cref="GoStyleFlags"/>.
/// </summary>
internal sealed class CompatibilityFlags
{
    /// <summary>State database variables, in order of precedence after <c>--db</c>.</summary>
    public static readonly string[] DatabaseVariables = ["WAFER_DB", "MODUS_DB", "HYPERMODE_METADATA_DB"];

    /// <summary>Environment name variables, in order of precedence.</summary>
    public static readonly string[] EnvironmentVariables = ["WAFER_ENVIRONMENT", "ENVIRONMENT", "MODUS_ENV"];

    private readonly Option<string?> _s3Bucket = new("--s3bucket")
    {
        Description = "Load plugins from this S3 bucket: --plugins (or --s3path) is then the folder inside it. Endpoint, region and credentials come from the standard AWS settings (AWS_ENDPOINT_URL, AWS_REGION, AWS_PROFILE, AWS_ACCESS_KEY_ID...)",
    };

    private readonly Option<string?> _s3Path = new("--s3path") { Description = "The folder inside --s3bucket (Modus's name for it; default: the bucket's root)" };

    private readonly Option<bool> _useAwsStorage = new("--useAwsStorage") { Description = "Load plugins from --s3bucket (Modus's switch; --s3bucket alone does the same)" };

    private readonly Option<bool> _useAwsSecrets = new("--useAwsSecrets") { Description = "Not supported: secrets come from the environment, --secretsDir, or .env in the plugins folder" };

    private readonly Option<string?> _secretsDir = new("--secretsDir") { Description = "A folder of one file per secret, named by its variable (WAFER_OPENAI_API_KEY...), as Docker and Kubernetes mount secrets (or WAFER_SECRETS_DIR)" };

    private readonly Option<string?> _dgraph = new("--dgraph") { Description = "Dgraph Alpha URL (http://localhost:8080): every plugin may query its /graphql as the graphql connection 'dgraph'" };

    private readonly Option<string?> _modelHost = new("--modelHost") { Description = "DNS suffix of hosted model servers (or HYPERMODE_MODEL_HOST): a Modus model on the 'hypermode' connection is sent to http://MODEL.MODELHOST/MODEL:predict" };

    public void AddTo(Command command, Option plugins)
    {
        plugins.Aliases.Add("--plugin"); // Hypermode took both
        foreach (var option in (Option[])[_s3Bucket, _s3Path, _useAwsStorage, _useAwsSecrets, _secretsDir, _dgraph, _modelHost])
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// Sets what was given on <paramref name="options"/>; every problem, each naming its flag or variable. With
    /// <c>--s3bucket</c>, <see cref="RuntimeOptions.PluginsPath"/> becomes the bucket folder's copy under <paramref name="storagePath"/>.
    /// </summary>
    /// <param name="pluginsFolder">What <c>--plugins</c> said when it was given, else null.</param>
    public IReadOnlyList<string> Apply(ParseResult parse, RuntimeOptions options, string? pluginsFolder, string storagePath)
    {
        var errors = new List<string>();
        if (parse.GetValue(_useAwsSecrets))
        {
            errors.Add("--useAwsSecrets: AWS Secrets Manager is not supported; give secrets as environment variables, as files in --secretsDir (one per secret, as Docker and Kubernetes mount them), or in .env in the plugins folder");
        }

        ApplyS3(parse, options, pluginsFolder, storagePath, errors);
        if (parse.GetValue(_dgraph) is { } dgraph)
        {
            if (Uri.TryCreate(dgraph, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
            {
                options.Dgraph = url;
            }
            else
            {
                errors.Add($"--dgraph: '{dgraph}' is not an http:// or https:// URL such as http://localhost:8080");
            }
        }

        options.ModelHost = parse.GetValue(_modelHost) ?? (Environment.GetEnvironmentVariable("HYPERMODE_MODEL_HOST") is { Length: > 0 } host ? host : options.ModelHost);
        if ((parse.GetValue(_secretsDir) ?? Environment.GetEnvironmentVariable("WAFER_SECRETS_DIR")) is { Length: > 0 } secrets)
        {
            options.SecretsDirectory = Path.GetFullPath(secrets);
        }

        if (options.Database is null && DatabaseVariables.Select(v => (Name: v, Value: Environment.GetEnvironmentVariable(v))).FirstOrDefault(v => !string.IsNullOrEmpty(v.Value)) is { Value: { } database })
        {
            options.Database = database;
        }

        var (variable, name) = EnvironmentVariables.Select(v => (v, Environment.GetEnvironmentVariable(v))).FirstOrDefault(v => !string.IsNullOrEmpty(v.Item2));
        if (variable is not null)
        {
            if (RuntimeOptions.NormalizeEnvironment(name) is { } normalized)
            {
                options.EnvironmentName = normalized;
            }
            else
            {
                errors.Add($"{variable}: '{name}' is not an environment name (dev, stage or prod; development, staging and production also do)");
            }
        }

        return errors;
    }

    private void ApplyS3(ParseResult parse, RuntimeOptions options, string? pluginsFolder, string storagePath, List<string> errors)
    {
        var bucket = parse.GetValue(_s3Bucket);
        var s3Path = parse.GetValue(_s3Path);
        if (bucket is null)
        {
            if (parse.GetValue(_useAwsStorage))
            {
                errors.Add("--useAwsStorage: name the bucket with --s3bucket BUCKET");
            }
            else if (s3Path is not null)
            {
                errors.Add("--s3path: name the bucket with --s3bucket BUCKET");
            }

            return;
        }

        if (s3Path is not null && pluginsFolder is not null && s3Path.Trim('/') != pluginsFolder.Trim('/'))
        {
            errors.Add($"--s3path and --plugins both name the folder inside --s3bucket ('{s3Path}', '{pluginsFolder}'): give one");
            return;
        }

        var location = S3Location.TryCreate(bucket, s3Path ?? pluginsFolder, "--s3bucket", s3Path is null ? "--plugins" : "--s3path", out var error);
        if (location is null)
        {
            errors.Add(error!);
            return;
        }

        options.S3Plugins = new S3PluginOptions { Location = location };
        // One copy per bucket folder; '/' escaped so the root's copy never holds another folder's.
        options.PluginsPath = Path.Combine(storagePath, "s3", location.Bucket, location.Prefix.Length == 0 ? "%2F" : Uri.EscapeDataString(location.Prefix.TrimEnd('/')));
        Directory.CreateDirectory(options.PluginsPath);
    }
}
