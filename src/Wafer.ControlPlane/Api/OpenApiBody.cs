using Microsoft.AspNetCore.Builder;
using Microsoft.OpenApi;

namespace Wafer.ControlPlane.Api;

/// <summary>
/// Describes a request body in the OpenAPI document only. <c>Accepts(...)</c> would also make routing answer a
/// bare 415 to other content types before the endpoint's filters run, so a control operation sent without a token
/// and with the wrong content type would get 415 instead of 401; the handlers check the content type themselves.
/// </summary>
internal static class OpenApiBody
{
    public static RouteHandlerBuilder DescribesBody<T>(this RouteHandlerBuilder builder, params string[] contentTypes) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = contentTypes.ToDictionary(type => type, _ => new OpenApiMediaType { Schema = schema }),
            };
        });
}
