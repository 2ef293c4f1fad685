using Microsoft.AspNetCore.Http;
using Supervision.Domain.Common;
using Supervision.Http;

namespace Supervision.Kernel;

/// <summary>What every staff endpoint asks of its callers the same way.</summary>
public static class StaffInput
{
    /// <summary>The header that makes a staff request safe to repeat: the same key from the same caller has one effect.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>A decision's written reason: long enough to explain, short enough to read.</summary>
    public const int MinReasonLength = 10;

    public const int MaxReasonLength = 2000;

    /// <summary>Reads the <see cref="IdempotencyKeyHeader"/> (absent is fine): null with the key, or the 400 naming the header.</summary>
    public static IResult? IdempotencyKey(HttpRequest request, out string? key)
    {
        ArgumentNullException.ThrowIfNull(request);
        key = request.Headers[IdempotencyKeyHeader];
        return key is not null && !EngagementIds.IsValidIdempotencyKey(key)
            ? Problems.Invalid(new Dictionary<string, string[]>
            {
                [IdempotencyKeyHeader] = [$"must be 1 to {EngagementIds.MaxIdempotencyKeyLength} printable ASCII characters."],
            })
            : null;
    }

    /// <summary>A written reason (or note) of <see cref="MinReasonLength"/> to <see cref="MaxReasonLength"/> characters, as <paramref name="field"/>.</summary>
    public static void Reason(string? reason, ValidationErrors errors, string field = "reason")
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Required(field, reason, MaxReasonLength);
        if (!string.IsNullOrWhiteSpace(reason) && reason.Trim().Length < MinReasonLength)
            errors.Add(field, $"must explain it in at least {MinReasonLength} characters.");
    }
}
