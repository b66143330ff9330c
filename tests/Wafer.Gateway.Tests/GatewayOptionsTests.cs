using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wafer.Gateway.Hosting;

namespace Wafer.Gateway.Tests;

/// <summary>The gateway's limits and timings: bound from the <c>Gateway</c> section, checked at start, each error naming its setting.</summary>
public sealed class GatewayOptionsTests
{
    private static WebApplication Build(params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        foreach (var (key, value) in settings)
        {
            builder.Configuration[key] = value;
        }

        builder.Services.AddWaferGateway();
        return builder.Build();
    }

    [Fact]
    public void Defaults_AreValid()
    {
        var options = new GatewayOptions();

        Assert.Empty(options.Validate(standalone: false));
        Assert.Equal((TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(500), 4 * 1024 * 1024),
            (options.CallTimeout, options.PutAsideFor, options.StallAfter, options.MaxRequestBytes));
    }

    [Fact]
    public void Validate_EveryBadTiming_NamedWithItsKey()
    {
        var options = new GatewayOptions
        {
            CallTimeout = TimeSpan.Zero,
            ConnectTimeout = TimeSpan.FromSeconds(-1),
            PutAsideFor = TimeSpan.FromDays(2),
            StallAfter = TimeSpan.FromMilliseconds(10),
            ProbeInterval = TimeSpan.FromSeconds(1),
            ProbeTimeout = TimeSpan.FromSeconds(1),
            ProbeFailuresToDown = 0,
            MaxRequestBytes = 100,
        };

        var errors = options.Validate(standalone: false);

        Assert.Equal(7, errors.Count);
        foreach (var key in new[] { "Gateway:CallTimeout", "Gateway:ConnectTimeout", "Gateway:PutAsideFor", "Gateway:StallAfter", "Gateway:ProbeTimeout", "Gateway:ProbeFailuresToDown", "Gateway:MaxRequestBytes" })
        {
            Assert.Contains(errors, e => e.StartsWith(key, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Settings_BoundFromTheGatewaySection()
    {
        await using var app = Build(("Gateway:PutAsideFor", "00:00:09"), ("Gateway:StallAfter", "00:00:01.5"), ("Gateway:MaxRequestBytes", "2048"));

        var options = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;

        Assert.Equal((TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(1.5), 2048), (options.PutAsideFor, options.StallAfter, options.MaxRequestBytes));
    }

    [Fact]
    public async Task Start_WithAnInvalidSetting_RefusedNamingIt()
    {
        await using var app = Build(("Gateway:StallAfter", "00:00:00"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Gateway:StallAfter must be positive", error.Message, StringComparison.Ordinal);
    }
}
