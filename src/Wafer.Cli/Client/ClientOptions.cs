using System.CommandLine;

namespace Wafer.Cli.Client;

/// <summary>The options every client verb shares: <c>--server</c>, <c>--token</c>, <c>--json</c>.</summary>
public sealed class ClientOptions
{
    public const string DefaultServer = "http://127.0.0.1:8680";
    public const string ServerVariable = "WAFER_SERVER";
    public const string TokenVariable = "WAFER_TOKEN";

    public Option<string?> Server { get; } = new("--server", "-s")
    {
        Description = $"URL of the orchestrator or runtime (default {ServerVariable}, else {DefaultServer})",
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"API token for control operations (default {TokenVariable})",
    };

    public Option<bool> Json { get; } = new("--json") { Description = "Print one JSON document instead of tables" };

    public void AddTo(Command command)
    {
        command.Options.Add(Server);
        command.Options.Add(Token);
        command.Options.Add(Json);
    }

    /// <summary>The server URL; throws a usage <see cref="CliException"/> when it is not an http(s) URL.</summary>
    public Uri ServerUri(ParseResult parse)
    {
        var text = parse.GetValue(Server)
                   ?? (Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } configured ? configured : DefaultServer);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new CliException(ExitCodes.Usage, $"--server: '{text}' is not an http(s) URL");
        }

        return new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
    }

    public string? BearerToken(ParseResult parse) =>
        (parse.GetValue(Token) ?? Environment.GetEnvironmentVariable(TokenVariable)) is { Length: > 0 } token ? token : null;

    /// <summary>Builds the client and runs <paramref name="verb"/>, turning every <see cref="CliException"/> into its message and exit code.</summary>
    public void SetAction(Command command, Func<ParseResult, WaferClient, Output, CancellationToken, Task<int>> verb) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                using var client = new WaferClient(ServerUri(parse), BearerToken(parse));
                return await verb(parse, client, new Output(parse.GetValue(Json)), cancellationToken);
            }
            catch (CliException ex)
            {
                Output.Error(ex.Message);
                return ex.ExitCode;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return ExitCodes.Ok;
            }
            catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or System.Text.Json.JsonException or FormatException)
            {
                Output.Error($"unexpected answer from {parse.GetValue(Server) ?? "the server"}: {ex.Message}");
                return ExitCodes.Failed;
            }
        });
}
