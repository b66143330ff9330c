using System.Text;
using Wafer.GraphQL;
using Wafer.Protocol.Calls;

namespace Wafer.Runtime.Tests.GraphQL;

/// <summary>Stands in for a guest: records the argument JSON of every call and answers with a canned outcome.</summary>
public sealed class FakeCaller(SchemaFunction function, Func<SchemaFunction, string, CallOutcome?> answer) : IFunctionCaller
{
    private readonly List<string> _calls = [];

    public SchemaFunction Function => function;

    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    public ValueTask<CallOutcome?> CallAsync(ReadOnlyMemory<byte> argumentsJson, CancellationToken cancellationToken)
    {
        var json = Encoding.UTF8.GetString(argumentsJson.Span);
        lock (_calls)
        {
            _calls.Add(json);
        }

        return ValueTask.FromResult(answer(function, json));
    }

    public static CallOutcome Ok(string resultJson) =>
        new("call-1", CallStatus.Ok, Encoding.UTF8.GetBytes(resultJson), null, TimeSpan.FromMilliseconds(1));

    public static CallOutcome Failed(CallStatus status, string message) =>
        new("call-2", status, null, message, TimeSpan.FromMilliseconds(1));
}
