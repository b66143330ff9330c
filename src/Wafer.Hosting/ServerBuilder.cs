using Microsoft.AspNetCore.Builder;

namespace Wafer.Hosting;

/// <summary>The web application builder every Wafer server (runtime, orchestrator, gateway) starts from.</summary>
public static class ServerBuilder
{
    /// <summary>
    /// A slim builder that reads appsettings.json from the working folder once, without watching it: watching
    /// puts an inotify watch on every folder under the working folder (a repository, a home folder), which cost
    /// seconds of start-up per server under load and fails outright where the machine's inotify limits run out.
    /// Wafer's settings are read at start; nothing reloads them.
    /// </summary>
    public static WebApplicationBuilder Create() =>
        WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
}
