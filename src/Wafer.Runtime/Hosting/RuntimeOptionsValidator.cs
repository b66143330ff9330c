using Microsoft.Extensions.Options;

namespace Wafer.Runtime.Hosting;

/// <summary>Reports every invalid runtime setting at start, each naming the setting to fix.</summary>
internal sealed class RuntimeOptionsValidator : IValidateOptions<RuntimeOptions>
{
    public ValidateOptionsResult Validate(string? name, RuntimeOptions options)
    {
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
