using System.Diagnostics;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Wafer.Tests.Shared;

namespace Wafer.Tests.S3;

/// <summary>
/// A real S3-compatible server (s3rver, tests/s3-server) in a child process on 127.0.0.1, with its objects in a
/// temporary folder. <see cref="StopAsync"/> and <see cref="StartAsync()"/> take it away and bring it back on the same
/// port with the same objects, as an outage would. Needs <c>npm ci</c> in tests/s3-server
/// (scripts/install-test-deps.sh does it).
/// </summary>
public sealed class S3Server : IAsyncDisposable
{
    /// <summary>s3rver's built-in account: it checks every request's signature against it.</summary>
    public const string AccessKey = "S3RVER";

    public const string SecretKey = "S3RVER";

    private static readonly string Folder = FindFolder();
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "wafer-s3-" + Guid.NewGuid().ToString("N")[..12]);
    private Process? _process;

    private S3Server(int port)
    {
        Port = port;
        Client = new AmazonS3Client(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonS3Config
        {
            ServiceURL = Endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>A client of the test's own, for putting and deleting objects.</summary>
    public AmazonS3Client Client { get; }

    /// <summary>The variables a Wafer process needs to reach this server through the standard AWS settings.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["AWS_ENDPOINT_URL"] = Endpoint,
        ["AWS_ACCESS_KEY_ID"] = AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
        ["AWS_REGION"] = "us-east-1",
        ["AWS_EC2_METADATA_DISABLED"] = "true",
    };

    public static async Task<S3Server> StartNewAsync()
    {
        var port = LoopbackPorts.Free();
        var server = new S3Server(port);
        await server.StartAsync();
        return server;
    }

    /// <summary>Starts the server (again), serving the objects it had.</summary>
    public async Task StartAsync()
    {
        if (!Directory.Exists(Path.Combine(Folder, "node_modules", "s3rver")))
        {
            throw new InvalidOperationException($"s3rver is not installed: run 'npm ci' in {Folder} (scripts/install-test-deps.sh does)");
        }

        Directory.CreateDirectory(_directory);
        var start = new ProcessStartInfo("node") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--openssl-legacy-provider"); // s3rver's continuation tokens use DES, which OpenSSL 3 keeps only there
        start.ArgumentList.Add(Path.Combine(Folder, "server.mjs"));
        start.ArgumentList.Add(Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add(_directory);
        var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            if (line is null || !line.StartsWith("listening", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"s3rver did not start: {line} {await process.StandardError.ReadToEndAsync(timeout.Token)}");
            }
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }

        _process = process;
    }

    /// <summary>Stops the server; its objects stay for <see cref="StartAsync()"/>.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }

    public async Task CreateBucketAsync(string bucket) => await Client.PutBucketAsync(new PutBucketRequest { BucketName = bucket });

    /// <summary>Puts an object (unchunked: s3rver does not read the SDK's chunked uploads); returns its ETag.</summary>
    public async Task<string> PutAsync(string bucket, string key, byte[] content)
    {
        using var stream = new MemoryStream(content);
        var response = await Client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = stream, UseChunkEncoding = false });
        return response.ETag;
    }

    public Task PutFileAsync(string bucket, string key, string path) => PutAsync(bucket, key, File.ReadAllBytes(path));

    public async Task DeleteAsync(string bucket, string key) => await Client.DeleteObjectAsync(bucket, key);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Client.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string FindFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "s3-server");
            if (File.Exists(Path.Combine(candidate, "server.mjs")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/s3-server not found above " + AppContext.BaseDirectory);
    }
}
