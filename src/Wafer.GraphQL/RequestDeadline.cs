using GraphQL;

namespace Wafer.GraphQL;

/// <summary>
/// The moment one GraphQL request must be answered by (<see cref="GraphQLOptions.RequestTimeout"/>), carried in the
/// execution's user context to the function fields: a field that has not answered by then fails with
/// <c>deadline_exceeded</c> (<see cref="Wafer.Protocol.Calls.CallStatus.DeadlineExceeded"/>) and the response goes out with the fields that did.
/// </summary>
internal sealed class RequestDeadline
{
    private const string Key = "wafer.deadline";

    public RequestDeadline(CancellationToken token, TimeSpan timeout)
    {
        Token = token;
        Timeout = timeout;
    }

    public CancellationToken Token { get; }

    public TimeSpan Timeout { get; }

    public void AttachTo(ExecutionOptions options) => options.UserContext[Key] = this;

    public static RequestDeadline? Of(IResolveFieldContext context) =>
        context.UserContext.TryGetValue(Key, out var value) ? value as RequestDeadline : null;
}
