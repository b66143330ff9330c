using Microsoft.Extensions.Options;

namespace Wafer.ControlPlane.Hosting;

/// <summary>Reports every invalid orchestrator setting at start, each naming the setting to fix.</summary>
internal sealed class OrchestratorOptionsValidator : IValidateOptions<OrchestratorOptions>
{
    public ValidateOptionsResult Validate(string? name, OrchestratorOptions options)
    {
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
