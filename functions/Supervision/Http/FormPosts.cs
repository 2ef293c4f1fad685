using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Primitives;

namespace Supervision.Http;

/// <summary>How a page's form field becomes a value of the API's JSON body.</summary>
public enum FieldKind
{
    /// <summary>A string; left out when empty, so the API says it is required.</summary>
    Text,

    /// <summary>An integer; sent as typed when it is not one, so the API names the field.</summary>
    Number,

    /// <summary>A pair of radio buttons, <c>true</c> or <c>false</c>; left out when neither is chosen.</summary>
    YesNo,

    /// <summary>A check box: true when sent, false when not.</summary>
    Checkbox,

    /// <summary>A list typed one per line (or separated by commas).</summary>
    List,
}

/// <summary>A form field, named by its path in the API's body as the API's errors name it (<c>contractor.name</c>, <c>datasets[0].items</c>).</summary>
public sealed record FormField(string Path, FieldKind Kind);

/// <summary>What an API handler answered a form with, for the page to show: success, or the problem as messages.</summary>
public sealed record FormOutcome(int Status, string? Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors, string? Location)
{
    public bool Succeeded => Status is >= 200 and < 300;
}

/// <summary>
/// Staff pages post forms; the API's handlers read JSON. This turns a form into the very body the API documents, hands it
/// to the same handler, and reads its answer back, so a page has no second implementation of any rule.
/// </summary>
public static class FormPosts
{
    /// <summary>At most this much form is read; the staff forms are a few fields of text.</summary>
    public const int MaxFormBytes = 64 * 1024;

    private static readonly char[] ListSeparators = ['\n', ',', '、'];

    /// <summary>The form as the API's JSON body: only the declared fields, by their paths.</summary>
    public static JsonObject ToBody(IFormCollection form, IEnumerable<FormField> fields)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(fields);
        var body = new JsonObject();
        foreach (FormField field in fields)
        {
            string? given = form.TryGetValue(field.Path, out StringValues values) ? values.ToString().Trim() : null;
            JsonNode? value = field.Kind switch
            {
                FieldKind.Checkbox => JsonValue.Create(given is { Length: > 0 }),
                _ when string.IsNullOrEmpty(given) => null,
                FieldKind.Number => long.TryParse(given, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number) ? JsonValue.Create(number) : JsonValue.Create(given),
                FieldKind.YesNo => given switch { "true" => JsonValue.Create(true), "false" => JsonValue.Create(false), _ => JsonValue.Create(given) },
                FieldKind.List => new JsonArray([.. given.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(item => (JsonNode)JsonValue.Create(item))]),
                _ => JsonValue.Create(given),
            };
            if (value is not null)
                Place(body, field.Path, value);
        }

        return body;
    }

    /// <summary>
    /// Reads a page's form: urlencoded or multipart, of at most <see cref="MaxFormBytes"/>. Answers the form, or the
    /// problem to answer with (415, 413, or 400 for a body that does not parse as the form it says it is).
    /// </summary>
    public static async Task<(IFormCollection? Form, IResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasFormContentType)
            return (null, Problems.UnsupportedMediaType(request.ContentType, "application/x-www-form-urlencoded"));
        if (request.ContentLength is null or > MaxFormBytes)
            return (null, Problems.TooLarge(MaxFormBytes));
        try
        {
            return (await request.ReadFormAsync(cancellationToken), null);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // The body is not the form its content type says (a multipart body without its parts, say).
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The form could not be read.", detail: e.Message));
        }
    }

    /// <summary>303 See Other: after a form is recorded the browser gets the page again, so a reload does not post twice.</summary>
    public static IResult SeeOther(string location) => new SeeOtherResult(location);

    /// <summary>Replaces the request's form with <paramref name="body"/> as JSON, so the API's handler reads it as it reads any call.</summary>
    public static void SendAsJson(HttpRequest request, JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(request);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(body);
        request.Body = new MemoryStream(json);
        request.ContentLength = json.Length;
        request.ContentType = "application/json";
    }

    /// <summary>The handler's answer: its status, and for a problem its title, detail and field errors.</summary>
    public static FormOutcome Read(IResult result)
    {
        int status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        string? location = LocationOf(result);
        return (result as IValueHttpResult)?.Value switch
        {
            HttpValidationProblemDetails validation => new(status, validation.Title, validation.Detail, validation.Errors.ToDictionary(), location),
            ProblemDetails problem => new(status, problem.Title, problem.Detail, new Dictionary<string, string[]>(), location),
            _ => new(status, null, null, new Dictionary<string, string[]>(), location),
        };
    }

    // Accepted, Accepted<T>, Created and Created<T> each have a Location and share no interface that has it.
    private static string? LocationOf(IResult result) =>
        result.GetType().GetProperty("Location")?.GetValue(result) as string;

    /// <summary>Puts <paramref name="value"/> at a path such as <c>datasets[0].items</c>, making the objects and arrays on the way.</summary>
    private static void Place(JsonObject body, string path, JsonNode value)
    {
        string[] steps = [.. path.Replace("[", ".", StringComparison.Ordinal).Replace("]", string.Empty, StringComparison.Ordinal).Split('.')];
        JsonNode parent = body;
        for (int i = 0; i < steps.Length; i++)
        {
            bool last = i == steps.Length - 1;
            JsonNode Child() => last ? value
                : int.TryParse(steps[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out _) ? new JsonArray() : new JsonObject();
            if (parent is JsonArray array)
            {
                int index = int.Parse(steps[i], NumberStyles.None, CultureInfo.InvariantCulture);
                while (array.Count <= index)
                    array.Add(null);
                parent = array[index] ??= Child();
            }
            else
            {
                parent = parent.AsObject()[steps[i]] ??= Child();
            }
        }
    }

    private sealed class SeeOtherResult(string location) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => StatusCodes.Status303SeeOther;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
