using System.CommandLine;
using System.Text;
using System.Text.Json;
using Wafer.Cli.Client;

namespace Wafer.Cli.Commands;

/// <summary><c>wafer invoke FUNCTION --args JSON</c>: call a function with <c>POST /functions/FUNCTION</c> and print its result.</summary>
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
            var body = await client.PostAsync(path, new StringContent(text, Encoding.UTF8, "application/json"), cancellationToken);
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
}
