using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Contracts;
using Supervision.Domain.Subcontracts;
using Supervision.Durable;
using Supervision.Evidence;
using Supervision.Http;
using Supervision.Kernel;

namespace Supervision.Subcontracts;

/// <summary>How deep the chain may go and how long a supervisor has to decide (<c>Supervision:Subcontracts</c>).</summary>
public sealed class SubcontractOptions
{
    public const string Section = "Supervision:Subcontracts";

    /// <summary>The deepest tier allowed: 1 is the contractor, so 3 allows 再委託 and 再々委託.</summary>
    public int MaxDepth { get; set; } = SubcontractRules.DefaultMaxDepth;

    /// <summary>How long a supervisor has to approve or acknowledge before being reminded.</summary>
    public TimeSpan DecideWithin { get; set; } = TimeSpan.FromDays(5);

    /// <summary>The largest signed subcontract accepted with a request.</summary>
    public int MaxSignedCopyBytes { get; set; } = 3 * 1024 * 1024;

    /// <summary>What a request body may weigh with its signed copy in base64.</summary>
    public int MaxBodyBytes => (MaxSignedCopyBytes / 3 * 4) + (64 * 1024);
}

/// <summary>Who asks: staff on the contractor's behalf, or a tier through its own link (then only for itself).</summary>
public sealed record SubcontractRequester(string Actor, string IdempotencyScope, string? BoundTier);

/// <summary>What a request to subcontract came to: a problem to answer, or the tier as stored (and whether this call created it).</summary>
public sealed record SubcontractResult(IResult? Problem, TierRecord? Tier = null, bool Created = false);

/// <summary>Raised to a tier's workflow when a supervisor rejects, suspends or revokes it: nothing more is chased.</summary>
public sealed record TierClosed(string Status);

/// <summary>Raised to a tier's workflow when a supervisor approves or acknowledges it: the supervisors are no longer chased.</summary>
public sealed record TierSettled(string Status);

/// <summary>
/// Requests to subcontract (3-1, 3-2, 7-2), whoever makes them: the policy of the contract above decides, every rule of
/// <see cref="SubcontractRules"/> holds, and a valid request enters the chain as a tier with its signed subcontract as
/// evidence, followed by a workflow that asks the subcontractor for its own due diligence.
/// </summary>
public sealed class Subcontracting(
    EngagementStore engagements,
    TierStore tiers,
    EvidenceStore evidence,
    AuditLog audit,
    EventOutbox outbox,
    IOptions<SubcontractOptions> options,
    TimeProvider time,
    ILogger<Subcontracting> logger)
{
    public SubcontractOptions Options => options.Value;

    public async Task<SubcontractResult> RequestAsync(
        string engagementId, SubcontractDraft draft, SubcontractRequester requester, string? idempotencyKey, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(requester);
        EngagementRecord? engagement = await engagements.GetAsync(engagementId, cancellationToken);
        if (engagement is null)
            return new(Problems.NotFound("The engagement"));
        string parentId = requester.BoundTier ?? (string.IsNullOrWhiteSpace(draft.ParentTier) ? Tiers.Contractor : draft.ParentTier.Trim());
        if (requester.BoundTier is not null && draft.ParentTier is { } named && !string.IsNullOrWhiteSpace(named) && named.Trim() != requester.BoundTier)
            return new(Problems.Invalid(new Dictionary<string, string[]> { ["parentTier"] = ["A link requests subcontractors of its own tier only."] }));

        (ParentTier? parent, string parentPath, IResult? refusal) = await ParentAsync(engagement, parentId, cancellationToken);
        if (refusal is not null)
            return new(refusal);

        string tierId = idempotencyKey is null
            ? EngagementIds.New()
            : EngagementIds.FromIdempotencyKey($"{engagementId}\nsubcontract\n{requester.IdempotencyScope}", idempotencyKey);
        if (parent!.Policy == SubcontractPolicy.Prohibited)
            return new(await RefuseProhibitedAsync(engagementId, parentId, tierId, draft, requester, cancellationToken));

        var fileErrors = new ValidationErrors();
        InlineFile? signedCopy = InlineFiles.Read(draft.SignedSubcontract, "signedSubcontract", Options.MaxSignedCopyBytes, fileErrors);
        ValidationErrors errors = SubcontractApplications.Read(draft, signedCopy is not null, out SubcontractApplication? application);
        Merge(errors, fileErrors);
        if (application is not null)
            Merge(errors, SubcontractRules.Decide(parent, application.Request, Options.MaxDepth) is { Outcome: SubcontractOutcome.Refused } refused ? refused.Reasons : new Dictionary<string, string[]>());
        if (!errors.IsEmpty)
            return new(Problems.Invalid(errors.ToDictionary(), "The request to subcontract cannot be accepted."));

        SubcontractOutcome outcome = SubcontractRules.Decide(parent, application!.Request, Options.MaxDepth).Outcome;
        string sha256 = Convert.ToHexStringLower(SHA256.HashData(signedCopy!.Bytes));
        string hash = Hash(new { parentId, application, sha256 });
        TierRecord? existing = await tiers.GetAsync(engagementId, tierId, cancellationToken);
        if (existing is not null)
            return existing.RequestHash == hash ? await FollowAsync(existing, created: false, durable, cancellationToken) : new(IdempotencyConflict(tierId));

        EvidenceRecord stored = await evidence.AddSystemEvidenceAsync(engagementId, $"tier-{tierId}", signedCopy.FileName, signedCopy.ContentType, signedCopy.Bytes, cancellationToken);
        TierRecord record = NewTier(engagementId, tierId, parentId, parentPath, parent, application, outcome, stored.EvidenceId, requester.Actor, hash);
        // One write: the tier's row and its trail entry. Refused, the tier was requested meanwhile (or before a crash).
        if (await outbox.CommitAsync(record, Requested(record), cancellationToken, adding: true))
            return await FollowAsync(record, created: true, durable, cancellationToken);
        TierRecord tier = await tiers.GetAsync(engagementId, tierId, cancellationToken)
            ?? throw new InvalidOperationException($"Tier {tierId} was refused as existing but cannot be read.");
        if (tier.RequestHash != hash)
            return new(IdempotencyConflict(tierId));
        return await FollowAsync(tier, created: false, durable, cancellationToken);
    }

    /// <summary>The tier that subcontracts, as the rules see it; or why it may not subcontract at all.</summary>
    private async Task<(ParentTier? Parent, string Path, IResult? Refusal)> ParentAsync(EngagementRecord engagement, string parentId, CancellationToken cancellationToken)
    {
        GateResult gate = engagement.Gate();
        if (!gate.IsOpen)
        {
            return (null, string.Empty, Problems.Conflict(
                "The contract is not complete: nothing may be subcontracted yet.",
                "Missing: " + string.Join("; ", gate.Missing.Select(gap => gap.Description)) + "."));
        }

        if (Vendors.RequestMail.HasEnded(engagement))
            return (null, string.Empty, Problems.Conflict("The work has ended: nothing more may be subcontracted.", $"Engagement {engagement.EngagementId} is {engagement.Stage}."));
        HandoverTerms terms = engagement.Terms()!;
        if (parentId == Tiers.Contractor)
            return (new ParentTier(1, terms.Subcontracting!.Value, terms.DataItems.ToHashSet(StringComparer.Ordinal)), Tiers.Contractor, null);
        if (!EngagementIds.IsWellFormed(parentId) || await tiers.GetAsync(engagement.EngagementId, parentId, cancellationToken) is not { } tier)
            return (null, string.Empty, Problems.NotFound("The parent tier"));
        if (tier.CurrentStatus != SubcontractStatus.InForce)
            return (null, string.Empty, Problems.Conflict("The tier above may not subcontract.", $"Tier {parentId} is {tier.Status}: only a tier in force may subcontract."));
        return (new ParentTier(tier.Depth, Enum.Parse<SubcontractPolicy>(tier.Policy), tier.Items().ToHashSet(StringComparer.Ordinal)), tier.Path, null);
    }

    /// <summary>3-1: a contract that prohibits subcontracting refuses every request; only the refusal is recorded, on the trail.</summary>
    private async Task<IResult> RefuseProhibitedAsync(string engagementId, string parentId, string tierId, SubcontractDraft draft, SubcontractRequester requester, CancellationToken cancellationToken)
    {
        await audit.AppendAsync(
            engagementId,
            requester.Actor,
            AuditActions.SubcontractRefused,
            new Dictionary<string, string>
            {
                ["parentTier"] = parentId,
                ["subcontractor"] = draft.Subcontractor?.Name?.Trim() ?? string.Empty,
                ["reason"] = "prohibited",
            },
            cancellationToken,
            entryKey: $"tier.{tierId}.refused");
        logger.LogInformation("Engagement {EngagementId}: a subcontract under tier {ParentTier} refused, the policy prohibits it", engagementId, parentId);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "The contract prohibits subcontracting.",
            detail: parentId == Tiers.Contractor
                ? "The contract's subcontracting policy is prohibited (3-1): no part of the work may be subcontracted."
                : $"The subcontract of tier {parentId} prohibits further subcontracting (3-1).",
            extensions: new Dictionary<string, object?> { ["code"] = "prohibited" });
    }

    /// <summary>The trail entry that records a tier's request: committed with its row.</summary>
    private static TrailEntry Requested(TierRecord tier) => new(
        tier.RequestedBy,
        AuditActions.SubcontractRequested,
        new Dictionary<string, string>
        {
            ["tierId"] = tier.TierId,
            ["parentTier"] = tier.ParentTierId,
            ["depth"] = tier.Depth.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["subcontractor"] = tier.CompanyName,
            ["dataItems"] = string.Join(", ", tier.Items()),
            ["governedBy"] = tier.GovernedBy,
            ["status"] = tier.Status,
            ["signedSubcontractEvidenceId"] = tier.SignedSubcontractEvidenceId,
            ["requestHash"] = tier.RequestHash,
        },
        $"tier.{tier.TierId}.requested");

    /// <summary>Also on a repeat: a crash between the row and the start must not leave a tier without its workflow.</summary>
    private async Task<SubcontractResult> FollowAsync(TierRecord tier, bool created, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        await DurableStarts.StartOnceAsync(durable, nameof(SubcontractWorkflow), new SubcontractWorkflowInput(tier.EngagementId, tier.TierId), Tiers.InstanceId(tier.EngagementId, tier.TierId), cancellationToken);
        if (created)
            logger.LogInformation("Engagement {EngagementId}: tier {TierId} at depth {Depth} requested, {Status}", tier.EngagementId, tier.TierId, tier.Depth, tier.Status);
        return new(null, tier, created);
    }

    private TierRecord NewTier(
        string engagementId, string tierId, string parentId, string parentPath, ParentTier parent, SubcontractApplication application, SubcontractOutcome outcome, string evidenceId, string actor, string hash)
    {
        SubcontractRequest request = application.Request;
        return new TierRecord
        {
            PartitionKey = engagementId,
            RowKey = TierRecord.Key(tierId),
            ParentTierId = parentId,
            Depth = parent.Depth + 1,
            Path = $"{parentPath}/{tierId}",
            CompanyName = application.Subcontractor.Name,
            CorporateNumber = application.Subcontractor.CorporateNumber,
            ContactName = application.Subcontractor.Contact.Name,
            ContactEmail = application.Subcontractor.Contact.Email,
            Language = application.Subcontractor.Contact.PreferredLanguage.Code(),
            Work = request.Work,
            DataItems = JsonSerializer.Serialize(request.DataItems, ApiJson.Options),
            WorkSite = request.WorkSite,
            PlannedStart = request.PlannedStart.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            PlannedEnd = request.PlannedEnd.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            GovernedBy = parent.Policy.ToString(),
            Policy = request.PolicyForTheSubcontractor.ToString(),
            AttestsCriteriaMet = request.AttestsCriteriaMet,
            WorkStatement = JsonSerializer.Serialize(application.WorkStatement, ApiJson.Options),
            SignedSubcontractEvidenceId = evidenceId,
            Status = SubcontractRules.InitialStatus(outcome).ToString(),
            RequestedBy = actor,
            RequestedAt = time.GetUtcNow(),
            RequestHash = hash,
        };
    }

    private static void Merge(ValidationErrors into, ValidationErrors from) => Merge(into, from.ToDictionary());

    private static void Merge(ValidationErrors into, IReadOnlyDictionary<string, string[]> from)
    {
        foreach ((string field, string[] messages) in from)
        {
            foreach (string message in messages)
                into.Add(field, message);
        }
    }

    private static IResult IdempotencyConflict(string tierId) => Problems.Conflict(
        "The idempotency key was already used for a different request.",
        $"The tier {tierId} was requested with this {StaffInput.IdempotencyKeyHeader}; use a new key for a new request.");

    private static string Hash<T>(T value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value, ApiJson.Options))));
}
