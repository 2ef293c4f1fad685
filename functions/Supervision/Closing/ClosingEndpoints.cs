using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Closing;
using Supervision.Domain.Common;
using Supervision.Domain.Engagements;
using Supervision.Domain.Staff;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Security;
using Supervision.Vendors;

namespace Supervision.Closing;

public sealed record EndingBody(string? Reason);

public sealed record KeptDataBody(string? Tier, string? DataItem, string? ConsentBasis);

public sealed record CertificateView(
    string Disposition,
    string Method,
    string PerformedOn,
    string PerformedBy,
    IReadOnlyList<string> EvidenceIds,
    string CertifiedBy,
    DateTimeOffset CertifiedAt,
    string? WitnessedBy,
    string? ReceiptAcknowledgedBy,
    string? ReceivedOn);

public sealed record ReverseHandoverView(string Tier, string DataItem, int Records, string Agreement, string ConsentBasis, string ReceivedOn, string RecordedBy);

public sealed record TierReturnView(string Tier, int Depth, string? Parent, IReadOnlyList<Domain.Subcontracts.Holding> Owed, IReadOnlyList<KeptData> Kept, CertificateView? Certificate, bool Counts);

/// <summary>The close record: how the work ended, what each tier owed and certified, what is still missing, who closed it and why.</summary>
public sealed record ClosureView(
    string EngagementId,
    string Stage,
    string? EndedBy,
    string? EndReason,
    IReadOnlyList<TierReturnView> Tiers,
    IReadOnlyList<ReverseHandoverView> ReverseHandovers,
    int CheckoutsOut,
    IReadOnlyList<string> Missing,
    string? ClosedBy,
    string? CloseReason,
    DateTimeOffset? ClosedAt,
    string? RetainUntil);

/// <summary>
/// The end of an engagement for staff (2-4, 7-2, 7-3): a supervisor's termination, the close record, and the close itself
/// once every tier certified and nothing is out — which withdraws every request still open, so every link dies.
/// </summary>
public sealed class ClosingEndpoints(EngagementStore engagements, ClosingStore store, EngagementEnding ending, VendorRequests requests, EventOutbox outbox, StaffCalls calls, TimeProvider time)
{
    public const string TerminationRoute = "api/engagements/{engagementId}/termination";
    public const string ClosureRoute = "api/engagements/{engagementId}/closure";
    public const string KeptDataRoute = "api/engagements/{engagementId}/kept-data";

    private static readonly StaffRule Supervising = StaffRule.ToChange(StaffRole.Supervisor);

    /// <summary>A termination or a close: a supervisor's, with a written reason.</summary>
    private static readonly StaffRule<EndingBody> Ending = Supervising.Taking<EndingBody>(body =>
    {
        var errors = new ValidationErrors();
        StaffInput.Reason(body.Reason, errors);
        return errors;
    });

    /// <summary>
    /// <c>POST …/kept-data</c> (7-5): a supervisor records an item a tier may keep using after the end, with the basis of
    /// the people's consent; it is then not owed back, and shows on the close record. Only an item the tier holds.
    /// </summary>
    public async Task<IResult> RecordKeptAsync(HttpRequest request, string engagementId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        StaffCall<KeptDataBody> call = await calls.AdmitAsync(request, Supervising.Taking<KeptDataBody>(), engagementId, cancellationToken);
        if (call.Refused is not null)
            return call.Refused;
        EngagementRecord engagement = call.Engagement!;
        if (engagement.Stage is not (nameof(EngagementStage.Active) or nameof(EngagementStage.Closing)))
            return Problems.Conflict("Kept data is recorded while the work runs or ends.", $"Engagement {engagementId} is {engagement.Stage}.");

        KeptDataBody given = call.Body!;
        string tier = string.IsNullOrWhiteSpace(given.Tier) ? Tiers.Contractor : given.Tier.Trim();
        var errors = new ValidationErrors();
        errors.RequiredLine("dataItem", given.DataItem, Returns.MaxTextLength);
        StaffInput.Reason(given.ConsentBasis, errors, "consentBasis");
        (IReadOnlyList<TierReturn> owed, _, _) = await store.OwedAsync(engagementId, cancellationToken);
        string? item = given.DataItem?.Trim();
        TierReturn? held = owed.FirstOrDefault(candidate => candidate.Tier == tier);
        if (errors.IsEmpty && held is null)
            errors.Add("tier", "holds nothing on the ledger.");
        else if (errors.IsEmpty && held!.Owed.All(holding => holding.DataItem != item))
            errors.Add("dataItem", $"is not an item tier {tier} holds (or it is already kept): {item}.");
        if (!errors.IsEmpty)
            return Problems.Invalid(errors.ToDictionary());

        string caller = call.Caller;
        var kept = new KeptDataRecord
        {
            PartitionKey = engagementId,
            RowKey = KeptDataRecord.Key(tier, item!),
            Tier = tier,
            DataItem = item!,
            ConsentBasis = given.ConsentBasis!.Trim(),
            RecordedBy = caller,
            RecordedAt = time.GetUtcNow(),
        };
        var recorded = new TrailEntry(
            AuditActors.Staff(kept.RecordedBy),
            AuditActions.KeptDataRecorded,
            new Dictionary<string, string> { ["tier"] = kept.Tier, ["dataItem"] = kept.DataItem, ["consentBasis"] = kept.ConsentBasis },
            $"kept.{kept.RowKey}");
        // One write: the row and its trail entry. Refused, the item was recorded as kept meanwhile, with its own entry.
        await outbox.CommitAsync(kept, recorded, cancellationToken, adding: true);
        return TypedResults.Ok(await ViewAsync(engagement, cancellationToken));
    }

    /// <summary><c>POST …/termination</c>: a supervisor ends the work before its planned end, with a reason.</summary>
    public async Task<IResult> TerminateAsync(HttpRequest request, string engagementId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        StaffCall<EndingBody> call = await calls.AdmitAsync(request, Ending, engagementId, cancellationToken);
        if (call.Refused is not null)
            return call.Refused;
        EngagementRecord engagement = call.Engagement!;
        if (!await ending.EndAsync(engagementId, AuditActors.Staff(call.Caller), call.Body!.Reason!.Trim(), durable, cancellationToken)
            && engagement.Stage != nameof(EngagementStage.Closing))
            return Problems.Conflict("Only an active engagement can be terminated.", $"Engagement {engagementId} is {engagement.Stage}.");
        return TypedResults.Accepted("/" + ClosureRoute.Replace("{engagementId}", engagementId, StringComparison.Ordinal), await ViewAsync((await engagements.GetAsync(engagementId, cancellationToken))!, cancellationToken));
    }

    /// <summary><c>GET …/closure</c>: the close record.</summary>
    public async Task<IResult> GetAsync(HttpRequest request, string engagementId, CancellationToken cancellationToken)
    {
        StaffCall call = await calls.AdmitAsync(request, StaffRule.AnyReader, engagementId, cancellationToken);
        return call.Refused ?? TypedResults.Ok(await ViewAsync(call.Engagement!, cancellationToken));
    }

    /// <summary><c>POST …/closure</c>: a supervisor closes the engagement, with a reason, once nothing is missing (409 naming what is).</summary>
    public async Task<IResult> CloseAsync(HttpRequest request, string engagementId, CancellationToken cancellationToken)
    {
        StaffCall<EndingBody> call = await calls.AdmitAsync(request, Ending, engagementId, cancellationToken);
        if (call.Refused is not null)
            return call.Refused;
        EngagementRecord engagement = call.Engagement!;
        (string caller, string reason) = (call.Caller, call.Body!.Reason!.Trim());
        if (engagement.Stage != nameof(EngagementStage.Closing))
            return Problems.Conflict("Only a closing engagement can be closed.", $"Engagement {engagementId} is {engagement.Stage}.");
        ClosureView view = await ViewAsync(engagement, cancellationToken);
        if (view.Missing.Count > 0)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The engagement cannot be closed yet.",
                detail: "Missing: " + string.Join("; ", view.Missing) + ".",
                extensions: new Dictionary<string, object?> { ["missing"] = view.Missing });
        }

        // The requests are withdrawn first, each in its own transaction with its own entry; then the close, in one with the
        // entry that records it and how many were withdrawn. A close refused (another supervisor closed it) withdrew only
        // what that close withdraws too.
        int withdrawn = await requests.WithdrawAllAsync(engagementId, subject: null, AuditActors.Staff(caller), cancellationToken);
        EngagementRecord closed = await engagements.UpdateAsync(engagementId, row =>
        {
            if (row.Stage != nameof(EngagementStage.Closing))
                return null;
            row.Stage = nameof(EngagementStage.Closed);
            row.StageChangedAt = time.GetUtcNow();
            row.ClosedBy = caller;
            row.CloseReason = reason;
            row.ClosedAt = time.GetUtcNow();
            row.RetainUntil = JapanCalendar.DateAt(row.ClosedAt.Value).AddYears(ending.Options.RetentionYears).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            return new TrailEntry(
                AuditActors.Staff(caller),
                AuditActions.EngagementClosed,
                new Dictionary<string, string> { ["reason"] = reason, ["requestsWithdrawn"] = withdrawn.ToString(CultureInfo.InvariantCulture), ["retainUntil"] = row.RetainUntil },
                "engagement.closed");
        }, cancellationToken);
        if (closed.ClosedBy != caller || closed.CloseReason != reason)
            return Problems.Conflict("The engagement was already closed.", $"Closed by {closed.ClosedBy}.");
        return TypedResults.Ok(await ViewAsync(closed, cancellationToken));
    }

    /// <summary>The close record of <paramref name="engagement"/>, as <c>GET …/closure</c> answers it.</summary>
    public Task<ClosureView> ViewAsync(EngagementRecord engagement, CancellationToken cancellationToken) => store.CloseRecordAsync(engagement, cancellationToken);
}
