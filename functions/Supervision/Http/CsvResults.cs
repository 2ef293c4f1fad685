using System.Globalization;
using System.Text.Json;
using CsvHelper;
using Microsoft.AspNetCore.Http;

namespace Supervision.Http;

/// <summary>One column of a CSV export: its header and the text of a row's value (null is an empty field).</summary>
public sealed record CsvColumn<T>(string Header, Func<T, string?> Value);

/// <summary>
/// The API's CSV downloads, which auditors and supervisors open in a spreadsheet: RFC 4180 as CsvHelper writes it, UTF-8
/// with a byte order mark (without it spreadsheet software reads Japanese as mojibake), and a text field that a
/// spreadsheet would run as a formula (it starts with = + - @) prefixed with an apostrophe, as OWASP advises.
/// </summary>
public static class CsvResults
{
    public const string ContentType = "text/csv; charset=utf-8";

    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default with
    {
        WriteByteOrderMark = true,
        Injection = CsvInjection.Escape,
    };

    /// <summary>A header row and a row per element of <paramref name="rows"/>, as an attachment named <paramref name="fileName"/>.</summary>
    public static IResult Attachment<T>(string fileName, IReadOnlyList<CsvColumn<T>> columns, IEnumerable<T> rows)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        using var buffer = new MemoryStream();
        using (CsvWriter csv = CsvWriter.Create(buffer, Options, leaveOpen: true))
        {
            csv.WriteHeader([.. columns.Select(column => column.Header)]);
            foreach (T row in rows)
                csv.WriteRecord([.. columns.Select(column => column.Value(row))]);
        }

        return TypedResults.File(buffer.ToArray(), ContentType, fileName);
    }

    /// <summary>An instant as the exports write it: UTC, ISO 8601 round-trip form (<c>2027-03-01T09:30:00.1234567Z</c>).</summary>
    public static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    public static string? Utc(DateTimeOffset? at) => at is { } value ? Utc(value) : null;

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Boolean(bool value) => value ? "true" : "false";

    /// <summary>An enum value as the JSON API names it (camelCase).</summary>
    public static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    /// <summary>A structured value (a list, a map) in one field, as the JSON API writes it.</summary>
    public static string Json<T>(T value) => JsonSerializer.Serialize(value, ApiJson.Options);
}
