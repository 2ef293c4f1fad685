using Microsoft.AspNetCore.Http;

namespace Supervision.Http;

/// <summary>RFC 7807 problem details for every refusal the API gives.</summary>
public static class Problems
{
    public static IResult Invalid(IReadOnlyDictionary<string, string[]> errors, string title = "The request has invalid fields.") =>
        TypedResults.ValidationProblem(errors, title: title);

    public static IResult UnsupportedMediaType(string? contentType, string expected = "application/json") => TypedResults.Problem(
        statusCode: StatusCodes.Status415UnsupportedMediaType,
        title: expected == "application/json" ? "The request body must be JSON." : "The request body must be a form.",
        detail: $"Send Content-Type: {expected} (got '{contentType ?? "none"}').");

    public static IResult TooLarge(int maxBytes) =>
        TooLarge("The request body is too large.", $"The body may be at most {maxBytes} bytes.");

    public static IResult TooLarge(string title, string detail) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge, title: title, detail: detail);

    public static IResult NotFound(string what) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: $"{what} was not found.");

    public static IResult Conflict(string title, string detail) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);
}
