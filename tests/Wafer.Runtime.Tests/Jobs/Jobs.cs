using System.Net;
using System.Net.Http.Json;
using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.Jobs;

/// <summary>Submits jobs to a runtime and waits for their end, the way a client of <c>/jobs</c> would.</summary>
internal static class Jobs
{
    public static async Task<string> SubmitAsync(this RuntimeServer server, object request)
    {
        var response = await server.Client.PostAsJsonAsync("/jobs", request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /jobs answered {(int)response.StatusCode}: {text}");
        var body = JsonDocument.Parse(text).RootElement;
        var id = body.GetProperty("id").GetString()!;
        Assert.Equal("running", body.GetProperty("status").GetString());
        Assert.Equal("/jobs/" + id, response.Headers.Location!.OriginalString);
        return id;
    }

    public static async Task<JsonElement> GetAsync(this RuntimeServer server, string id)
    {
        var response = await server.Client.GetAsync("/jobs/" + id);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /jobs/{id} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Polls the job until it is no longer running.</summary>
    public static async Task<JsonElement> WaitAsync(this RuntimeServer server, string id, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var job = await server.GetAsync(id);
            if (job.GetProperty("status").GetString() != "running")
            {
                return job;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"job {id} still running: {job}");
            }

            await Task.Delay(20);
        }
    }

    public static async Task<JsonElement> RunAsync(this RuntimeServer server, object request) =>
        await server.WaitAsync(await server.SubmitAsync(request));

    public static string Stdout(this JsonElement job) => job.GetProperty("stdout").GetString()!;

    public static string Stderr(this JsonElement job) => job.GetProperty("stderr").GetString()!;

    public static string Status(this JsonElement job) => job.GetProperty("status").GetString()!;

    public static int? ExitCode(this JsonElement job) =>
        job.GetProperty("exitCode").ValueKind == JsonValueKind.Null ? null : job.GetProperty("exitCode").GetInt32();
}
