using System.Net;
using System.Net.Http.Headers;
using Wafer.Runtime.Hosting;
using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.Hosting;

/// <summary><c>ENVIRONMENT</c> (dev, stage, prod): the explorer page only in dev; queries everywhere; <c>/api/info</c> names it.</summary>
public sealed class EnvironmentNameTests
{
    [Theory]
    [InlineData(RuntimeOptions.Development, HttpStatusCode.OK)]
    [InlineData(RuntimeOptions.Staging, HttpStatusCode.NotFound)]
    [InlineData(RuntimeOptions.Production, HttpStatusCode.NotFound)]
    public async Task ExplorerPage_IsServedOnlyInDev_QueriesAlways(string environment, HttpStatusCode page)
    {
        await using var server = await RuntimeServer.StartAsync(["echo"], o => o.EnvironmentName = environment);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/graphql");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        using var response = await server.Client.SendAsync(request);
        Assert.Equal(page, response.StatusCode);
        if (page == HttpStatusCode.NotFound)
        {
            Assert.Contains($"only in the dev environment (this runtime's ENVIRONMENT is {environment})", await response.Content.ReadAsStringAsync());
        }

        var query = await server.GraphQLAsync("{ hello }");
        Assert.Equal("hello", query.GetProperty("data").GetProperty("hello").GetString());
        using var get = new HttpRequestMessage(HttpMethod.Get, "/graphql?query=%7Bhello%7D");
        get.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(get)).StatusCode);

        var info = JsonDocument.Parse(await server.Client.GetStringAsync("/api/info")).RootElement;
        Assert.Equal(environment, info.GetProperty("environment").GetString());
    }

    [Theory]
    [InlineData("development", RuntimeOptions.Development)]
    [InlineData("Staging", RuntimeOptions.Staging)]
    [InlineData("PROD", RuntimeOptions.Production)]
    [InlineData("", RuntimeOptions.Development)]
    [InlineData("qa", null)]
    public void EnvironmentNames_AsHypermodeAndModusWroteThem(string given, string? expected) =>
        Assert.Equal(expected, RuntimeOptions.NormalizeEnvironment(given));
}
