using System.CommandLine;
using System.Text;
using System.Text.Json;
using Wafer.Cli.Client;

namespace Wafer.Cli.Commands;

/// <summary>
/// <c>wafer invoke FUNCTION --args JSON</c>: call a function with <c>POST /functions/FUNCTION</c> and print its result.
/// Given an orchestrator, a function no deployment exports is looked for among the plugins its runtimes serve on their
/// own (<see cref="RuntimePlugins"/>), so the plugins <c>wafer serve</c> serves from its folder answer too.
/// </summary>
public static class InvokeCommand
{
    public static Command Create()
    {
        var options = new ClientOptions();
        var function = new Argument<string>("function") { Description = "The function: NAME, or PLUGIN/NAME when several plugins export NAME" };
        var arguments = new Option<string>("--args", "-a") { Description = "The arguments as a JSON object, e.g. '{\"name\":\"Ada\"}'", DefaultValueFactory = _ => "{}" };
        var command = new Command("invoke", "Call a function (on a runtime, or through the fleet's gateway) and print its result") { function, arguments };
        options.AddTo(command);
        options.SetAction(command, async (parse, client, output, cancellationToken) =>
        {
            var text = parse.GetValue(arguments)!;
            try
            {
                using var document = JsonDocument.Parse(text);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new CliException(ExitCodes.Usage, $"--args must be a JSON object of named arguments, got a {document.RootElement.ValueKind.ToString().ToLowerInvariant()}");
                }
            }
            catch (JsonException ex)
            {
                throw new CliException(ExitCodes.Usage, $"--args is not valid JSON: {ex.Message}");
            }

            var name = parse.GetValue(function)!;
            var path = "functions/" + string.Join('/', name.Split('/').Select(Uri.EscapeDataString));
            JsonElement body;
            try
            {
                body = await client.PostAsync(path, Arguments(text), cancellationToken);
            }
            catch (CliException notFound) when (notFound.ExitCode == ExitCodes.NotFound)
            {
                body = await CallServedByARuntimeAsync(client, name, text, notFound, cancellationToken);
            }

            if (output.Json)
            {
                Output.WriteJson(body);
                return ExitCodes.Ok;
            }

            var result = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("result", out var r) ? r : body;
            Console.WriteLine(result.ValueKind == JsonValueKind.String
                ? result.GetString()
                : JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static StringContent Arguments(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>
    /// A function an orchestrator's gateway does not route (no deployment exports it) may be served by one of its
    /// runtimes on its own, as <c>wafer serve</c> serves its plugins folder: that runtime is called directly.
    /// <paramref name="notFound"/> stands when the server is no orchestrator or no runtime serves the function.
    /// </summary>
    private static async Task<JsonElement> CallServedByARuntimeAsync(WaferClient client, string name, string arguments, CliException notFound, CancellationToken cancellationToken)
    {
        ServerInfo info;
        try
        {
            info = await client.InfoAsync(cancellationToken);
        }
        catch (CliException)
        {
            throw notFound;
        }

        var served = info.IsOrchestrator ? await RuntimePlugins.ListAsync(client, cancellationToken) : [];

        var slash = name.LastIndexOf('/');
        var (plugin, function) = slash < 0 ? ((string?)null, name) : (name[..slash], name[(slash + 1)..]);
        var candidates = served.Where(s => (plugin is null || s.Name == plugin) && s.Exports(function)).ToList();
        var plugins = candidates.Select(c => c.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (plugins.Count == 0)
        {
            throw notFound;
        }

        if (plugins.Count > 1)
        {
            throw new CliException(ExitCodes.Failed,
                $"'{function}' is exported by several plugins the fleet's runtimes serve from their own folders ({string.Join(", ", plugins.Select(p => $"{p}/{function}"))}): name one as PLUGIN/{function}");
        }

        var target = candidates[0];
        using var runtime = new WaferClient(target.RuntimeUrl, client.Token);
        return await runtime.PostAsync($"functions/{Uri.EscapeDataString(target.Name)}/{Uri.EscapeDataString(function)}", Arguments(arguments), cancellationToken);
    }
}
