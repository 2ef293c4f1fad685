using Microsoft.AspNetCore.Http;

namespace Supervision.Http;

/// <summary>
/// <c>GET /api/openapi.json</c>, for anyone: the OpenAPI document of every route both hosts serve. It is written by hand
/// (<c>Http/openapi.json</c>, embedded in the library) because handlers read their bodies themselves, which no generator
/// can see; tests hold it equal to both hosts' route tables and to the handlers' body types.
/// </summary>
public sealed class OpenApiEndpoints
{
    public const string Route = "api/openapi.json";

    private readonly byte[] document = ReadDocument();

    public IResult Get() => TypedResults.Bytes(document, "application/json");

    /// <summary>The document's bytes as the library embeds them.</summary>
    public static byte[] ReadDocument()
    {
        using Stream stream = typeof(OpenApiEndpoints).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The library embeds no {ResourceName}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private const string ResourceName = "Supervision.Http.openapi.json";
}
