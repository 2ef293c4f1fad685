using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Contracts;
using Supervision.Durable;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Security;

namespace Supervision.Handovers;

/// <summary>
/// The handover ledger (2-4): what data went to whom, how and when, each entry acknowledged by its receiver; down the
/// chain (3-2, 7-2) only to a tier in force and within what it was approved for. Nothing is entered before the contract
/// is complete (<see cref="LedgerGate"/>). Procurement and supervisors record; every reader lists.
/// </summary>
public sealed class HandoverEndpoints(
    HandoverStore store,
    TierStore tiers,
    LedgerGate gate,
    StaffCalls calls,
    TimeProvider time,
    ILogger<HandoverEndpoints> logger)
{
    public const string HandoversRoute = "api/engagements/{engagementId}/handovers";

    /// <summary>The durable instance of a handover's acknowledgement: <c>{engagementId}-handover-{handoverId}</c>.</summary>
    public static string HandoverInstanceId(string engagementId, string handoverId) => $"{engagementId}-handover-{handoverId}";

    /// <summary>
    /// <c>POST …/handovers</c>: enters a handover in the ledger once the contract is complete and the entry is within it,
    /// and asks its receiver to acknowledge it. The same <c>Idempotency-Key</c> again answers with the same entry.
    /// </summary>
    public async Task<IResult> RecordHandoverAsync(HttpRequest request, string engagementId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        StaffCall<HandoverEntry> call = await gate.AdmitAsync<HandoverEntry>(request, engagementId, cancellationToken);
        if (call.Refused is not null)
            return call.Refused;

        HandoverEntry entry = call.Body!;
        HandoverTerms terms = call.Engagement!.Terms()!;
        ValidationErrors errors = HandoverEntryRules.Validate(entry, terms, Today());
        if (!errors.IsEmpty)
            return Problems.Invalid(errors.ToDictionary());

        string[] items = [.. entry.DataItems!.Select(item => item.Trim()).Distinct(StringComparer.Ordinal)];
        string? toTier = string.IsNullOrWhiteSpace(entry.ToTier) || entry.ToTier.Trim() == Tiers.Contractor ? null : entry.ToTier.Trim();
        if (toTier is not null && await DownTheChainProblemAsync(engagementId, toTier, items, cancellationToken) is { } refused)
            return refused;
        var normalised = entry with
        {
            ToTier = toTier,
            DataItems = items,
            SenderName = entry.SenderName!.Trim(),
            ReceiverName = entry.ReceiverName!.Trim(),
            ReceiverEmail = entry.ReceiverEmail!.Trim(),
        };
        string hash = LedgerGate.Hash(normalised);
        string handoverId = call.IdFor("handover");
        var record = new HandoverRecord
        {
            PartitionKey = engagementId,
            RowKey = HandoverRecord.Key(handoverId),
            DataItems = JsonSerializer.Serialize(items, ApiJson.Options),
            RecordCount = normalised.RecordCount!.Value,
            Medium = normalised.Medium!.Value.ToString(),
            TransferMethod = normalised.TransferMethod!.Value.ToString(),
            SenderName = normalised.SenderName,
            ReceiverName = normalised.ReceiverName,
            ReceiverEmail = normalised.ReceiverEmail,
            HandedOverOn = LedgerGate.Format(normalised.HandedOverOn!.Value),
            RecordedBy = call.Caller,
            RecordedAt = time.GetUtcNow(),
            EntryHash = hash,
            ToTier = toTier,
        };

        // One write: the ledger's row with its trail entry. A repeat (same key, same entry) finds it, and starts the workflow if a
        // crash came between the write and the start.
        (HandoverRecord stored, bool created) = await store.AddOrGetAsync(
            record,
            row => row.EntryHash != hash ? null : new TrailEntry(
                AuditActors.Staff(row.RecordedBy),
                AuditActions.HandoverRecorded,
                new Dictionary<string, string>
                {
                    ["handoverId"] = handoverId,
                    ["dataItems"] = string.Join(", ", items),
                    ["recordCount"] = row.RecordCount.ToString(CultureInfo.InvariantCulture),
                    ["medium"] = row.Medium,
                    ["transferMethod"] = row.TransferMethod,
                    ["receiver"] = row.ReceiverName,
                    ["toTier"] = row.ToTier ?? Tiers.Contractor,
                    ["handedOverOn"] = row.HandedOverOn,
                    ["entryHash"] = hash,
                },
                $"handover.{handoverId}.recorded"),
            cancellationToken);
        if (!created && stored.EntryHash != hash)
            return LedgerGate.IdempotencyConflict("handover", handoverId);

        await DurableStarts.StartOnceAsync(durable, nameof(HandoverWorkflow), new HandoverWorkflowInput(engagementId, handoverId), HandoverInstanceId(engagementId, handoverId), cancellationToken);
        if (created)
            logger.LogInformation("Handover {HandoverId} of engagement {EngagementId} recorded: {RecordCount} records", handoverId, engagementId, stored.RecordCount);

        string location = "/" + HandoversRoute.Replace("{engagementId}", engagementId, StringComparison.Ordinal);
        return TypedResults.Accepted(location, View(stored));
    }

    /// <summary><c>GET …/handovers</c>: the ledger, oldest first, with where each acknowledgement stands.</summary>
    public async Task<IResult> ListHandoversAsync(HttpRequest request, string engagementId, CancellationToken cancellationToken)
    {
        StaffCall call = await calls.AdmitAsync(request, StaffRule.AnyReader, engagementId, cancellationToken);
        if (call.Refused is not null)
            return call.Refused;
        return TypedResults.Ok(new HandoverList(Ledger(await store.ListHandoversAsync(engagementId, cancellationToken))));
    }

    /// <summary>
    /// A handover down the chain (3-2, 7-2) reaches only a tier in force, carries only items the tier was approved to
    /// receive, and only items the tier above it holds on the ledger.
    /// </summary>
    private async Task<IResult?> DownTheChainProblemAsync(string engagementId, string toTier, IReadOnlyList<string> items, CancellationToken cancellationToken)
    {
        if (!EngagementIds.IsWellFormed(toTier) || await tiers.GetAsync(engagementId, toTier, cancellationToken) is not { } tier)
            return Problems.Invalid(new Dictionary<string, string[]> { ["toTier"] = ["is not a tier of this engagement's chain."] });
        if (tier.CurrentStatus != Domain.Subcontracts.SubcontractStatus.InForce)
            return Problems.Conflict("No data may be handed to this tier.", $"Tier {toTier} is {tier.Status}: data may reach a subcontractor only while it is in force.");
        var errors = new ValidationErrors();
        string[] notApproved = [.. items.Except(tier.Items(), StringComparer.Ordinal)];
        if (notApproved.Length > 0)
            errors.Add("dataItems", $"not among the items tier {toTier} was approved to receive: {string.Join(", ", notApproved)}.");
        IReadOnlySet<string> held = Domain.Subcontracts.ChainHoldings.ItemsHeld(TierStore.Chain(await tiers.ListHandoversAsync(engagementId, cancellationToken)), tier.ParentTierId);
        string[] notHeld = [.. items.Where(item => !held.Contains(item))];
        if (notHeld.Length > 0)
            errors.Add("dataItems", $"not held by the tier above ({tier.ParentTierId}): {string.Join(", ", notHeld)}.");
        return errors.IsEmpty ? null : Problems.Invalid(errors.ToDictionary());
    }

    private DateOnly Today() => JapanCalendar.DateAt(time.GetUtcNow());

    /// <summary>The ledger as <c>GET …/handovers</c> answers it: oldest first.</summary>
    internal static IReadOnlyList<HandoverView> Ledger(IEnumerable<HandoverRecord> rows) => [.. rows.OrderBy(row => row.RecordedAt).Select(View)];

    private static HandoverView View(HandoverRecord row) => new(
        row.HandoverId,
        row.ToTier ?? Tiers.Contractor,
        JsonSerializer.Deserialize<string[]>(row.DataItems, ApiJson.Options) ?? [],
        row.RecordCount,
        Enum.Parse<HandoverMedium>(row.Medium),
        Enum.Parse<TransferMethod>(row.TransferMethod),
        row.SenderName,
        row.ReceiverName,
        row.ReceiverEmail,
        row.HandedOverOn,
        row.RecordedBy,
        row.RecordedAt,
        new AcknowledgementView(
            Enum.Parse<AcknowledgementStatus>(row.Status),
            row.AcknowledgementRequestId,
            row.Status == nameof(AcknowledgementStatus.Acknowledged) ? row.AnsweredAt : null,
            row.Status == nameof(AcknowledgementStatus.Disputed) ? row.AnsweredAt : null,
            row.RecordsReceived,
            row.Remark));
}

public sealed record AcknowledgementView(AcknowledgementStatus Status, string? RequestId, DateTimeOffset? AcknowledgedAt, DateTimeOffset? DisputedAt, string? RecordsReceived, string? Remark);

public sealed record HandoverView(
    string Id,
    string ToTier,
    IReadOnlyList<string> DataItems,
    int RecordCount,
    HandoverMedium Medium,
    TransferMethod TransferMethod,
    string SenderName,
    string ReceiverName,
    string ReceiverEmail,
    string HandedOverOn,
    string RecordedBy,
    DateTimeOffset RecordedAt,
    AcknowledgementView Acknowledgement);

public sealed record HandoverList(IReadOnlyList<HandoverView> Items);
