using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Supervision.Domain.Contracts;
using Supervision.Domain.Staff;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Security;

namespace Supervision.Handovers;

/// <summary>
/// What the ledger's handovers and checkouts both pass before anything is entered: the staff preamble for a recorder
/// (procurement or a supervisor) with a well-formed idempotency key, then an engagement not ended and a complete
/// contract — the gate answers 409 naming every missing clause or term. Every staff reader may list.
/// </summary>
public sealed class LedgerGate(StaffCalls calls, ILogger<LedgerGate> logger)
{
    public static readonly IReadOnlyCollection<StaffRole> Recorders = [StaffRole.Procurement, StaffRole.Supervisor];

    private static readonly StaffRule Recording = StaffRule.ToChange(Recorders) with { TakesIdempotencyKey = true };

    /// <summary>The caller, the engagement, the gate and the body, or the problem that stops the entry.</summary>
    public async Task<StaffCall<T>> AdmitAsync<T>(HttpRequest request, string engagementId, CancellationToken cancellationToken)
        where T : class
    {
        StaffCall<T> call = await calls.AdmitAsync(request, Recording.Taking<T>(), engagementId, cancellationToken);
        if (call.Refused is not null)
            return call;

        EngagementRecord engagement = call.Engagement!;
        if (engagement.Stage is nameof(Domain.Engagements.EngagementStage.Closing) or nameof(Domain.Engagements.EngagementStage.Closed))
            return call with { Refused = Problems.Conflict("The engagement has ended: nothing more may be handed over.", $"Engagement {engagementId} is {engagement.Stage}.") };

        GateResult gate = engagement.Gate();
        if (!gate.IsOpen)
        {
            logger.LogWarning("Engagement {EngagementId}: entry refused, the contract lacks {MissingCount} items", engagementId, gate.Missing.Count);
            return call with { Refused = ContractIncomplete(gate) };
        }

        return call;
    }

    /// <summary>The contract-incomplete refusal: 409 naming every gap, with the gaps as <c>missing</c> for clients.</summary>
    public static IResult ContractIncomplete(GateResult gate)
    {
        ArgumentNullException.ThrowIfNull(gate);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "The contract is not complete: no data may be handed over yet.",
            detail: "Missing: " + string.Join("; ", gate.Missing.Select(gap => gap.Description)) + ".",
            extensions: new Dictionary<string, object?>
            {
                ["missing"] = gate.Missing.Select(gap => new MissingView(gap.Code, gap.Description)).ToArray(),
            });
    }

    internal static IResult IdempotencyConflict(string what, string id) => Problems.Conflict(
        "The idempotency key was already used for a different request.",
        $"The {what} {id} was recorded with this {StaffInput.IdempotencyKeyHeader}; use a new key for a new {what}.");

    /// <summary>What tells a repeat of an entry (same key, same body) from a different entry under a used key.</summary>
    internal static string Hash<T>(T value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value, ApiJson.Options))));

    internal static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static DateOnly Parse(string date) => DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}

public sealed record MissingView(string Code, string Description);
