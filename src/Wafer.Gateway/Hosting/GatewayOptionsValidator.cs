using Microsoft.Extensions.Options;

namespace Wafer.Gateway.Hosting;

/// <summary>Reports every invalid gateway limit or timing at start, each naming the setting to fix.</summary>
internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var errors = options.Validate(standalone: false); // the standalone flags are checked by `wafer gateway` before start
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
