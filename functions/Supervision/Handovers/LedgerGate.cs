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
/// What the ledger's handovers and checkouts both pass before anything is entered: a recorder (procurement or a
/// supervisor), a well-formed idempotency key, an engagement not ended, and a complete contract — the gate answers 409
/// naming every missing clause or term. Every staff reader may list.
/// </summary>
public sealed class LedgerGate(EngagementStore engagements, StaffAccess staff, ILogger<LedgerGate> logger)
{
    public static readonly IReadOnlyCollection<StaffRole> Recorders = [StaffRole.Procurement, StaffRole.Supervisor];

    /// <summary>The caller, the engagement, the gate and the body, or the problem that stops the entry.</summary>
    public async Task<LedgerAdmission<T>> AdmitAsync<T>(HttpRequest request, string engagementId, CancellationToken cancellationToken)
        where T : class
    {
        StaffAccessResult access = staff.ToChange(request, Recorders);
        if (access.Denied is not null)
            return new LedgerAdmission<T>(access.Denied);

        if (StaffInput.IdempotencyKey(request, out string? idempotencyKey) is { } badKey)
            return new LedgerAdmission<T>(badKey);

        if (!EngagementIds.IsWellFormed(engagementId))
            return new LedgerAdmission<T>(Problems.NotFound("The engagement"));
        BodyResult<T> body = await JsonBody.ReadAsync<T>(request, cancellationToken);
        if (body.Problem is not null)
            return new LedgerAdmission<T>(body.Problem);
        EngagementRecord? engagement = await engagements.GetAsync(engagementId, cancellationToken);
        if (engagement is null)
            return new LedgerAdmission<T>(Problems.NotFound("The engagement"));

        if (engagement.Stage is nameof(Domain.Engagements.EngagementStage.Closing) or nameof(Domain.Engagements.EngagementStage.Closed))
            return new LedgerAdmission<T>(Problems.Conflict("The engagement has ended: nothing more may be handed over.", $"Engagement {engagementId} is {engagement.Stage}."));

        GateResult gate = engagement.Gate();
        if (!gate.IsOpen)
        {
            logger.LogWarning("Engagement {EngagementId}: entry refused, the contract lacks {MissingCount} items", engagementId, gate.Missing.Count);
            return new LedgerAdmission<T>(ContractIncomplete(gate));
        }

        return new LedgerAdmission<T>(null, engagement, body.Value, access.User!.Name, engagementId, idempotencyKey);
    }

    /// <summary>Null when the caller may read the engagement's ledger and the engagement exists; otherwise the problem.</summary>
    public async Task<IResult?> ReadableAsync(HttpRequest request, string engagementId, CancellationToken cancellationToken)
    {
        StaffAccessResult access = staff.ToRead(request, StaffRoles.Readers);
        if (access.Denied is not null)
            return access.Denied;
        if (!EngagementIds.IsWellFormed(engagementId) || await engagements.GetAsync(engagementId, cancellationToken) is null)
            return Problems.NotFound("The engagement");
        return null;
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

/// <summary>What every recording handler needs once the caller, the engagement, the gate and the body passed.</summary>
public sealed record LedgerAdmission<T>(IResult? Problem, EngagementRecord? Engagement = null, T? Body = null, string? Caller = null, string? EngagementId = null, string? IdempotencyKey = null)
    where T : class
{
    /// <summary>A new id, or with an idempotency key one derived from the engagement, the caller and the key.</summary>
    public string IdFor(string kind) => IdempotencyKey is null
        ? EngagementIds.New()
        : EngagementIds.FromIdempotencyKey($"{EngagementId}\n{kind}\n{Caller}", IdempotencyKey);
}

public sealed record MissingView(string Code, string Description);
