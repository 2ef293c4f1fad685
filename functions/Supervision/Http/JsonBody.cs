using System.Buffers;
using System.Net.Mime;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Supervision.Http;

/// <summary>The outcome of reading a JSON body: a value, or the problem to answer with.</summary>
public readonly record struct BodyResult<T>(T? Value, IResult? Problem)
    where T : class;

/// <summary>Reads a JSON request body with a size limit, refusing everything that is not one JSON value of type <typeparamref name="T"/>.</summary>
public static class JsonBody
{
    public const int DefaultMaxBytes = 64 * 1024;

    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    public static async Task<BodyResult<T>> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken, int maxBytes = DefaultMaxBytes)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsJson(request.ContentType))
            return new(null, Problems.UnsupportedMediaType(request.ContentType));
        if (request.ContentLength > maxBytes)
            return new(null, Problems.TooLarge(maxBytes));

        byte[] buffer = ArrayPool<byte>.Shared.Rent(maxBytes + 1);
        try
        {
            int length = await ReadUpToAsync(request.Body, buffer.AsMemory(0, maxBytes + 1), cancellationToken);
            if (length > maxBytes)
                return new(null, Problems.TooLarge(maxBytes));
            if (length == 0)
                return new(null, Problems.Invalid(new Dictionary<string, string[]> { ["$"] = ["The body is empty."] }, "The request body is not valid JSON."));

            // RFC 8259 §8.1 lets a parser ignore a byte order mark; some clients send one.
            ReadOnlySpan<byte> json = buffer.AsSpan(0, length);
            if (json.StartsWith(Utf8ByteOrderMark))
                json = json[Utf8ByteOrderMark.Length..];
            T? value = JsonSerializer.Deserialize<T>(json, ApiJson.Options);
            return value is null
                ? new(null, Problems.Invalid(new Dictionary<string, string[]> { ["$"] = ["The body must be a JSON object."] }, "The request body is not valid JSON."))
                : new(value, null);
        }
        catch (JsonException e)
        {
            string field = FieldOf(e.Path);
            return new(null, Problems.Invalid(new Dictionary<string, string[]> { [field] = [Describe(e)] }, "The request body is not valid JSON."));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out MediaTypeHeaderValue? parsed)
        && (parsed.MediaType.Equals(MediaTypeNames.Application.Json, StringComparison.OrdinalIgnoreCase)
            || parsed.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase))
        && (!parsed.Charset.HasValue || HeaderUtilities.RemoveQuotes(parsed.Charset).Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    private static async Task<int> ReadUpToAsync(Stream body, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = await body.ReadAsync(buffer[total..], cancellationToken);
            if (read == 0)
                break;
            total += read;
        }

        return total;
    }

    /// <summary>Turns System.Text.Json's <c>$.contact.email</c> into the field name the client wrote, <c>contact.email</c>.</summary>
    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "$" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    // System.Text.Json's messages name .NET types; say what the client can act on instead.
    private static string Describe(JsonException e) => e.Message switch
    {
        string m when m.Contains("could not be mapped", StringComparison.Ordinal) => "is not a known field.",
        string m when m.Contains("could not be converted", StringComparison.Ordinal) => "has the wrong type or format.",
        _ => "is not valid JSON.",
    };
}
