namespace Supervision.Domain.Common;

/// <summary>
/// Collects every problem with an input, keyed by the path of the offending field as the client sent it
/// (<c>contact.email</c>, <c>datasets[0].recordCount</c>), so one answer names all of them.
/// </summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool IsEmpty => errors.Count == 0;

    public void Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out List<string>? messages))
        {
            messages = [];
            errors[field] = messages;
        }

        messages.Add(message);
    }

    /// <summary>A text that may run over several lines: line breaks and tabs are kept, other control characters refused.</summary>
    public void Required(string field, string? value, int maxLength) => Text(field, value, maxLength, singleLine: false);

    /// <summary>
    /// A one-line value (a name, an address, an identifier): every control character within it is refused, CR, LF and
    /// NUL above all, which would otherwise reach mail headers and exported files (white space around it is trimmed).
    /// </summary>
    public void RequiredLine(string field, string? value, int maxLength) => Text(field, value, maxLength, singleLine: true);

    private void Text(string field, string? value, int maxLength, bool singleLine)
    {
        if (string.IsNullOrWhiteSpace(value))
            Add(field, "is required.");
        else if (value.Trim().Any(c => char.IsControl(c) && (singleLine || c is not ('\r' or '\n' or '\t'))))
            Add(field, singleLine ? "must be one line, without control characters (line breaks, tabs, NUL)." : "must not contain control characters other than line breaks and tabs.");
        else if (value.Trim().Length > maxLength)
            Add(field, $"must be at most {maxLength} characters.");
    }

    public void Range(string field, int value, int min, int max)
    {
        if (value < min || value > max)
            Add(field, $"must be between {min} and {max}.");
    }

    /// <summary>A date that records something already done (held, attested, closed) cannot be later than today.</summary>
    public void NotInFuture(string field, DateOnly date, DateOnly today)
    {
        if (date > today)
            Add(field, $"must not be in the future (today is {today:yyyy-MM-dd}).");
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
}
