using System.Diagnostics;

namespace Wafer.Tests.GraphQLClients;

/// <summary>
/// Runs the third-party GraphQL clients of tests/graphql-clients (node: graphql-http's audit suite, graphql-js's
/// introspection) against a live endpoint and hands back their JSON. Compiled into the runtime's and the gateway's
/// test projects. Needs <c>npm ci</c> in tests/graphql-clients (scripts/install-test-deps.sh does it).
/// </summary>
public static class GraphQLClients
{
    private static readonly string Folder = FindFolder();

    /// <summary>Every audit of graphql-http's serverAudits against <paramref name="endpoint"/>.</summary>
    public static async Task<IReadOnlyList<AuditResult>> AuditAsync(Uri endpoint)
    {
        using var results = await RunAsync("audit.mjs", endpoint);
        return [.. results.RootElement.EnumerateArray().Select(r => new AuditResult(
            r.GetProperty("id").GetString()!,
            r.GetProperty("name").GetString()!,
            r.GetProperty("status").GetString()!,
            r.GetProperty("reason").ValueKind == JsonValueKind.String ? r.GetProperty("reason").GetString() : null))];
    }

    /// <summary>graphql-js's introspection of <paramref name="endpoint"/>: the server's answer, buildClientSchema and validateSchema.</summary>
    public static async Task<JsonElement> IntrospectAsync(Uri endpoint)
    {
        using var result = await RunAsync("introspect.mjs", endpoint);
        return result.RootElement.Clone();
    }

    private static async Task<JsonDocument> RunAsync(string script, Uri endpoint)
    {
        if (!Directory.Exists(Path.Combine(Folder, "node_modules", "graphql-http")))
        {
            throw new InvalidOperationException($"the GraphQL clients are not installed: run 'npm ci' in {Folder} (scripts/install-test-deps.sh does)");
        }

        var start = new ProcessStartInfo("node") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(Folder, script));
        start.ArgumentList.Add(endpoint.ToString());
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} did not finish within 2 minutes");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"node {script} exited {process.ExitCode}: {await errors}");
        }

        return JsonDocument.Parse(await output);
    }

    private static string FindFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "graphql-clients");
            if (File.Exists(Path.Combine(candidate, "audit.mjs")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/graphql-clients not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>One audit of the GraphQL-over-HTTP suite: its id, its name (starting MUST, SHOULD or MAY), and how it went.</summary>
public sealed record AuditResult(string Id, string Name, string Status, string? Reason)
{
    public bool IsMust => Name.StartsWith("MUST", StringComparison.Ordinal);

    public bool Passed => Status == "ok";

    public override string ToString() => $"{Id} {Status} {Name}{(Reason is null ? "" : ": " + Reason)}";
}
