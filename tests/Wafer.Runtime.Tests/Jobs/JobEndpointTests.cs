using System.Net;
using System.Net.Http.Json;
using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.Jobs;

/// <summary>POST /jobs and GET /jobs against the C command module tests/guests/c/c-job.c.</summary>
public sealed class JobEndpointTests : IAsyncLifetime
{
    private RuntimeServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await RuntimeServer.StartAsync(["c-job", "echo"]);
        RuntimeServer.CopyGuest("c-job", _server.PluginsPath, "c-job-fast");
        File.WriteAllText(Path.Combine(_server.PluginsPath, "c-job-fast.wafer.json"),
            """{"name":"c-job-fast","type":"command","limits":{"timeoutMs":300,"memoryMb":16}}""");
        await _server.Services.GetRequiredService<Wafer.Runtime.Catalog.PluginReloader>().ScanAsync();
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Job_Hello_ExitsZeroWithStdoutAndStderr()
    {
        var job = await _server.RunAsync(new { plugin = "c-job", args = new[] { "hello" } });

        Assert.Equal("exited", job.Status());
        Assert.Equal(0, job.ExitCode());
        Assert.Equal("hello from a job\n", job.Stdout());
        Assert.Equal("a line on stderr\n", job.Stderr());
        Assert.False(job.GetProperty("stdoutTruncated").GetBoolean());
        Assert.Equal(JsonValueKind.Null, job.GetProperty("error").ValueKind);
        Assert.True(job.GetProperty("durationMs").GetDouble() > 0);
        Assert.True(job.GetProperty("startedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Equal("c-job", job.GetProperty("plugin").GetString());
    }

    [Fact]
    public async Task Job_Args_FollowThePluginNameInArgv()
    {
        var job = await _server.RunAsync(new { plugin = "c-job", args = new[] { "args", "two words", "ünïcode" } });

        Assert.Equal("argv[0]=c-job\nargv[1]=args\nargv[2]=two words\nargv[3]=ünïcode\n", job.Stdout());
        Assert.Equal("[\"args\",\"two words\",\"ünïcode\"]", job.GetProperty("args").GetRawText());
    }

    [Fact]
    public async Task Job_Env_IsExactlyWhatTheRequestGives()
    {
        var job = await _server.RunAsync(new
        {
            plugin = "c-job",
            args = new[] { "env", "GREETING", "EMPTY", "HOME", "PATH" },
            env = new Dictionary<string, string> { ["GREETING"] = "hi there", ["EMPTY"] = "" },
        });

        Assert.Equal("environ=2\nGREETING=hi there\nEMPTY=\nHOME=(unset)\nPATH=(unset)\n", job.Stdout());
        Assert.Equal("hi there", job.GetProperty("env").GetProperty("GREETING").GetString());
    }

    [Fact]
    public async Task Job_WithoutEnv_SeesNoVariables_NotEvenTheHosts()
    {
        const string hostVariable = "WAFER_TEST_JOB_HOST_VARIABLE";
        Environment.SetEnvironmentVariable(hostVariable, "host secret");
        try
        {
            var job = await _server.RunAsync(new { plugin = "c-job", args = new[] { "env", hostVariable, "HOME" } });

            Assert.Equal($"environ=0\n{hostVariable}=(unset)\nHOME=(unset)\n", job.Stdout());
        }
        finally
        {
            Environment.SetEnvironmentVariable(hostVariable, null);
        }
    }

    [Fact]
    public async Task Job_Stdin_IsReadByTheGuest()
    {
        var job = await _server.RunAsync(new { plugin = "c-job", args = new[] { "stdin" }, stdin = "line one\nline two é" });

        Assert.Equal("stdin:line one\nline two é\nbytes=20\n", job.Stdout());
    }

    [Fact]
    public async Task Job_WithoutStdin_ReadsEndOfFile()
    {
        var job = await _server.RunAsync(new { plugin = "c-job", args = new[] { "stdin" } });

        Assert.Equal("stdin:\nbytes=0\n", job.Stdout());
    }

    [Theory]
    [InlineData(7)]
    [InlineData(1)]
    [InlineData(255)]
    public async Task Job_ExitCode_IsReported(int code)
    {
        var job = await _server.RunAsync(new { plugin = "c-job", args = new[] { "exit", code.ToString(System.Globalization.CultureInfo.InvariantCulture) } });

        Assert.Equal("exited", job.Status());
        Assert.Equal(code, job.ExitCode());
        Assert.Equal($"exiting with {code}\n", job.Stderr());
    }

    [Fact]
    public async Task Job_Output_IsCappedAtOneMebibyteAndMarkedTruncated()
    {
        var job = await _server.RunAsync(new { plugin = "c-job", args = new[] { "spam", "1500000" } });

        Assert.Equal("exited", job.Status());
        Assert.Equal(1024 * 1024, job.Stdout().Length);
        Assert.True(job.GetProperty("stdoutTruncated").GetBoolean());
        Assert.Equal(750_000, job.Stderr().Length);
        Assert.False(job.GetProperty("stderrTruncated").GetBoolean());
    }

    [Fact]
    public async Task Job_InfiniteLoop_TimesOutAtItsLimit()
    {
        var job = await _server.RunAsync(new { plugin = "c-job-fast", args = new[] { "loop" } });

        Assert.Equal("timed_out", job.Status());
        Assert.Equal(JsonValueKind.Null, job.GetProperty("exitCode").ValueKind);
        Assert.Equal("looping\n", job.Stdout());
        Assert.Equal("timed out after 300 ms", job.GetProperty("error").GetString());
        Assert.InRange(job.GetProperty("durationMs").GetDouble(), 290, 2000);
    }

    [Fact]
    public async Task Job_Sleeping_StillTimesOutAtItsLimit()
    {
        var job = await _server.RunAsync(new { plugin = "c-job-fast", args = new[] { "sleep", "60" } });

        Assert.Equal("timed_out", job.Status());
        Assert.Equal("sleeping\n", job.Stdout());
        Assert.InRange(job.GetProperty("durationMs").GetDouble(), 290, 2000);
    }

    [Fact]
    public async Task Job_ShortSleep_Wakes()
    {
        var job = await _server.RunAsync(new { plugin = "c-job", args = new[] { "sleep", "1" } });

        Assert.Equal("exited", job.Status());
        Assert.Equal("sleeping\nwoke up\n", job.Stdout());
        Assert.InRange(job.GetProperty("durationMs").GetDouble(), 990, 2900);
    }

    [Fact]
    public async Task Job_AllocatingBeyondTheMemoryCap_GetsNoMemory()
    {
        var small = await _server.RunAsync(new { plugin = "c-job", args = new[] { "alloc", "4" } });
        var big = await _server.RunAsync(new { plugin = "c-job", args = new[] { "alloc", "64" } });

        Assert.Equal("allocated 4 MiB\n", small.Stdout());
        Assert.Equal(12, big.ExitCode());
        Assert.Equal("allocation of 64 MiB failed\n", big.Stderr());
    }

    [Fact]
    public async Task Job_TrappingAtTheMemoryCap_FailsAsOutOfMemory()
    {
        var job = await _server.RunAsync(new { plugin = "c-job", args = new[] { "grow" } });

        Assert.Equal("failed", job.Status());
        Assert.StartsWith("out_of_memory: ", job.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Job_Trap_FailsWithTheCauseAndKeepsItsOutput()
    {
        var job = await _server.RunAsync(new { plugin = "c-job", args = new[] { "trap" } });

        Assert.Equal("failed", job.Status());
        Assert.StartsWith("trap: ", job.GetProperty("error").GetString());
        Assert.Contains("unreachable", job.GetProperty("error").GetString());
        Assert.Equal("about to trap\n", job.Stdout());
    }

    [Fact]
    public async Task Job_WithoutGrantedFolder_SeesNoFilesystem()
    {
        var job = await _server.RunAsync(new { plugin = "c-job", args = new[] { "read", "/etc/passwd" } });

        Assert.Equal(2, job.ExitCode());
        Assert.StartsWith("/etc/passwd: ", job.Stderr());
        Assert.Equal("", job.Stdout());
    }

    [Fact]
    public async Task Get_UnknownJob_Is404()
    {
        var response = await _server.Client.GetAsync("/jobs/nope");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no job with id 'nope'", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task List_ShowsRecentJobsNewestFirstWithoutOutput()
    {
        var first = await _server.SubmitAsync(new { plugin = "c-job", args = new[] { "hello" } });
        var second = await _server.SubmitAsync(new { plugin = "c-job", args = new[] { "hello" } });
        await _server.WaitAsync(first);
        await _server.WaitAsync(second);

        var list = await _server.Client.GetFromJsonAsync<JsonElement>("/jobs?limit=500");
        var ids = list.GetProperty("items").EnumerateArray().Select(j => j.GetProperty("id").GetString()).ToList();
        Assert.True(ids.IndexOf(second) < ids.IndexOf(first), "newest first");
        Assert.False(list.GetProperty("items")[0].TryGetProperty("stdout", out _));
        var bad = await _server.Client.GetAsync("/jobs?limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Theory]
    [InlineData("""{"plugin":"nope"}""", HttpStatusCode.NotFound, "no plugin named 'nope' is loaded")]
    [InlineData("""{"plugin":"echo"}""", HttpStatusCode.BadRequest, "plugin 'echo' is a functions plugin; jobs run command plugins")]
    [InlineData("""{"args":["x"]}""", HttpStatusCode.BadRequest, "'plugin' is missing")]
    [InlineData("""{"plugin":42}""", HttpStatusCode.BadRequest, "'plugin' must be a string, got a number")]
    [InlineData("""{"plugin":"c-job","args":"hello"}""", HttpStatusCode.BadRequest, "'args' must be an array of strings, got a string")]
    [InlineData("""{"plugin":"c-job","args":[1]}""", HttpStatusCode.BadRequest, "'args[0]' must be a string, got a number")]
    [InlineData("""{"plugin":"c-job","env":{"A":1}}""", HttpStatusCode.BadRequest, "'env.A' must be a string, got a number")]
    [InlineData("""{"plugin":"c-job","env":["A"]}""", HttpStatusCode.BadRequest, "'env' must be an object of strings, got an array")]
    [InlineData("""{"plugin":"c-job","env":{"A=B":"x"}}""", HttpStatusCode.BadRequest, "environment variable name 'A=B' must be non-empty")]
    [InlineData("""{"plugin":"c-job","stdin":{}}""", HttpStatusCode.BadRequest, "'stdin' must be a string, got an object")]
    [InlineData("""{"plugin":"c-job","extra":true}""", HttpStatusCode.BadRequest, "unknown key 'extra'")]
    [InlineData("""{"plugin":""", HttpStatusCode.BadRequest, "request body is not valid JSON")]
    [InlineData("""[]""", HttpStatusCode.BadRequest, "request body must be a JSON object")]
    public async Task Post_BadRequest_SaysWhatIsWrongAndStartsNothing(string json, HttpStatusCode status, string expected)
    {
        var before = (await _server.Client.GetFromJsonAsync<JsonElement>("/jobs?limit=500")).GetProperty("items").GetArrayLength();

        var (response, body) = await _server.PostJsonAsync("/jobs", json);

        Assert.Equal(status, response.StatusCode);
        Assert.StartsWith(expected, body.GetProperty("detail").GetString());
        var after = (await _server.Client.GetFromJsonAsync<JsonElement>("/jobs?limit=500")).GetProperty("items").GetArrayLength();
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task ManyConcurrentJobs_AllCompleteWithTheirOwnOutput()
    {
        const int count = 50;
        var ids = await Task.WhenAll(Enumerable.Range(0, count).Select(i =>
            _server.SubmitAsync(new { plugin = "c-job", args = new[] { "args", $"job-{i}" }, stdin = $"input {i}" })));

        var jobs = await Task.WhenAll(ids.Select(id => _server.WaitAsync(id, TimeSpan.FromSeconds(60))));

        for (var i = 0; i < count; i++)
        {
            Assert.Equal("exited", jobs[i].Status());
            Assert.Equal($"argv[0]=c-job\nargv[1]=args\nargv[2]=job-{i}\n", jobs[i].Stdout());
        }

        Assert.Equal(count, ids.Distinct().Count());
    }
}
