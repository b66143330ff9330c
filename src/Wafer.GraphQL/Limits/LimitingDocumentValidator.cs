using GraphQL.Validation;

namespace Wafer.GraphQL.Limits;

/// <summary>
/// GraphQL.NET's validator behind <see cref="RequestLimits"/>: a document over a limit is refused with that one
/// error before any rule runs, so a hostile document never reaches the costly rules.
/// </summary>
internal sealed class LimitingDocumentValidator(GraphQLOptions options) : IDocumentValidator
{
    private readonly DocumentValidator _rules = new();

    public Task<IValidationResult> ValidateAsync(in ValidationOptions validationOptions) =>
        RequestLimits.Check(validationOptions.Document, options) is { } exceeded
            ? Task.FromResult<IValidationResult>(new ValidationResult(exceeded))
            : _rules.ValidateAsync(validationOptions);
}
