using Microsoft.AspNetCore.Http;

namespace Wafer.ControlPlane.Api;

/// <summary>Recognizes the ways ASP.NET Core reports a request body over its limit.</summary>
internal static class UploadLimits
{
    public static bool IsTooLarge(Exception ex) =>
        ex is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
        || (ex is InvalidDataException && ex.Message.Contains("limit", StringComparison.OrdinalIgnoreCase));
}
