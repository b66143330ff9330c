using System.CommandLine;
using Wafer.Protocol.Transport;

namespace Wafer.Cli.Commands;

/// <summary>
/// <c>wafer mqtt-password</c>: the broker user and password a fleet member gets from the fleet token, for an external
/// broker's password file (docs/security.md, "The control channel"). Prints <c>USER PASSWORD</c> on one line.
/// </summary>
public static class MqttPasswordCommand
{
    public static Command Create()
    {
        var runtime = new Option<string?>("--runtime") { Description = "A runtime's id (its STORAGE/runtime-id): its user name is the id" };
        var orchestrator = new Option<bool>("--orchestrator") { Description = $"The orchestrator's user ({BrokerUsers.Orchestrator})" };
        var token = new Option<string?>("--token") { Description = "The fleet token (or WAFER_TOKEN)" };
        var command = new Command("mqtt-password", "Print the broker user and password the fleet token gives a runtime or the orchestrator: USER PASSWORD")
        {
            runtime, orchestrator, token,
        };
        command.SetAction(parse =>
        {
            var fleetToken = parse.GetValue(token) ?? Environment.GetEnvironmentVariable("WAFER_TOKEN");
            if (string.IsNullOrEmpty(fleetToken))
            {
                return ServerStart.Usage("--token (or WAFER_TOKEN): the fleet token is required; the password derives from it");
            }

            var id = parse.GetValue(runtime);
            if ((id is null) == !parse.GetValue(orchestrator))
            {
                return ServerStart.Usage("name one member: --runtime ID or --orchestrator");
            }

            if (id is not null && !BrokerUsers.IsRuntime(id))
            {
                return ServerStart.Usage($"--runtime: '{id}' is not a runtime id (a UUID, as in STORAGE/runtime-id)");
            }

            var user = id is null ? BrokerUsers.Orchestrator : BrokerUsers.Runtime(id);
            Console.WriteLine($"{user} {BrokerUsers.Password(fleetToken, user)}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
