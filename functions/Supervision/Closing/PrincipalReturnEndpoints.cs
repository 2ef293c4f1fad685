using System.Globalization;
using System.Text.Json;
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

public sealed record ReceiptBody(string? Tier, DateOnly? ReceivedOn);

public sealed record WitnessBody(string? Tier, string? Method, DateOnly? PerformedOn, string? PerformedBy);

public sealed record ReverseHandoverBody(string? Tier, string? DataItem, int? Records, string? Agreement, string? ConsentBasis, DateOnly? ReceivedOn);

/// <summary>
/// What the principal itself records of the returns (2-4, 7-5): that what a tier returned arrived, that its staff
/// witnessed a tier's erasure (in place of a certificate of deletion), and personal data a tier gathered and handed over
/// under an agreement and with the people's consent. Each is one write with its trail entry (docs/decisions/0002).
/// </summary>
public sealed class PrincipalReturnEndpoints(
    EngagementStore engagements, ClosingStore store, VendorRequests requests, EventOutbox outbox, StaffCalls calls, ClosingEndpoints closing, TimeProvider time)
{
    public const string ReceiptsRoute = "api/engagements/{engagementId}/closure/receipts";
    public const string WitnessedErasuresRoute = "api/engagements/{engagementId}/closure/witnessed-erasures";
    public const string ReverseHandoversRoute = "api/engagements/{engagementId}/reverse-handovers";

    private static readonly StaffRule Receiving = StaffRule.ToChange(StaffRole.Procurement, StaffRole.Supervisor);
    private static readonly StaffRule Witnessing = StaffRule.ToChange(StaffRole.Supervisor);

    /// <summary><c>POST …/closure/receipts</c>: the principal acknowledges that what a tier returned arrived, and when.</summary>
    public async Task<IResult> AcknowledgeReceiptAsync(HttpRequest request, string engagementId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        StaffCall<ReceiptBody> admitted = await AdmitAsync(request, Receiving.Taking<ReceiptBody>(), engagementId, cancellationToken);
        if (admitted.Refused is not null)
            return admitted.Refused;
        (string tier, ReceiptBody body) = (TierOf(admitted.Body!.Tier), admitted.Body);
        var errors = new ValidationErrors();
        if (tier != Tiers.Contractor && !EngagementIds.IsWellFormed(tier))
            errors.Add("tier", "is contractor or a tier id of this engagement.");
        if (body.ReceivedOn is not { } receivedOn)
            errors.Add("receivedOn", "is required (yyyy-MM-dd).");
        else
            errors.NotInFuture("receivedOn", receivedOn, Today);
        if (!errors.IsEmpty)
            return Problems.Invalid(errors.ToDictionary());
        string receivedOnText = Format(body.ReceivedOn!.Value);

        while (true)
        {
            if (await store.GetCertificateAsync(engagementId, tier, cancellationToken) is not { } certificate)
                return Problems.Conflict("Nothing returned is recorded for this tier.", $"Tier {tier} has not certified a return.");
            if (certificate.Disposition != nameof(Disposition.Returned))
                return Problems.Conflict("The tier erased what it held; there is nothing to receive.", $"Tier {tier} certified {certificate.Disposition}.");
            if (errors.IsEmpty && body.ReceivedOn < DateOnly.ParseExact(certificate.PerformedOn, "yyyy-MM-dd", CultureInfo.InvariantCulture))
                return Problems.Invalid(new Dictionary<string, string[]> { ["receivedOn"] = [$"must not be before the tier sent it ({certificate.PerformedOn})."] });
            if (certificate.ReceiptAcknowledgedBy is not null)
            {
                return certificate.ReceiptAcknowledgedBy == admitted.Caller && certificate.ReceivedOn == receivedOnText
                    ? await ViewAsync(engagementId, cancellationToken)
                    : Problems.Conflict("The receipt was already acknowledged.", $"Acknowledged by {certificate.ReceiptAcknowledgedBy}, received on {certificate.ReceivedOn}.");
            }

            certificate.ReceiptAcknowledgedBy = admitted.Caller;
            certificate.ReceivedOn = receivedOnText;
            var trail = new TrailEntry(
                AuditActors.Staff(admitted.Caller),
                AuditActions.ReturnReceiptAcknowledged,
                new Dictionary<string, string> { ["tier"] = tier, ["receivedOn"] = receivedOnText },
                $"closing.{tier}.received");
            if (await outbox.CommitAsync(certificate, trail, cancellationToken))
                return await ViewAsync(engagementId, cancellationToken);
        }
    }

    /// <summary>
    /// <c>POST …/closure/witnessed-erasures</c> (2-4): a supervisor who witnessed a tier erase everything it held records it,
    /// in place of the tier's certificate of deletion. Only for the tier being asked now (every tier below it certified).
    /// </summary>
    public async Task<IResult> RecordWitnessedErasureAsync(HttpRequest request, string engagementId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        StaffCall<WitnessBody> admitted = await AdmitAsync(request, Witnessing.Taking<WitnessBody>(), engagementId, cancellationToken);
        if (admitted.Refused is not null)
            return admitted.Refused;
        (string tier, WitnessBody body, string caller) = (TierOf(admitted.Body!.Tier), admitted.Body, admitted.Caller);
        (IReadOnlyList<TierReturn> owed, IReadOnlyList<HandoverRecord> ledger, _) = await store.OwedAsync(engagementId, cancellationToken);
        if (owed.FirstOrDefault(candidate => candidate.Tier == tier) is not { } held)
            return Problems.Invalid(new Dictionary<string, string[]> { ["tier"] = ["holds nothing on the ledger."] });

        var witnessed = new ReturnCertificate(
            Disposition.Erased, body.Method?.Trim() ?? string.Empty, body.PerformedOn ?? default, body.PerformedBy?.Trim() ?? string.Empty, [.. held.Owed.Select(holding => holding.DataItem)], CertificateUploaded: false, WitnessedBy: caller);
        ValidationErrors errors = Returns.Check(held, witnessed, ClosingStore.LastHandoverTo(ledger, tier), Today);
        if (body.PerformedOn is null)
            errors.Add("performedOn", "is required (yyyy-MM-dd).");
        if (!errors.IsEmpty)
            return Problems.Invalid(errors.ToDictionary());

        if (await store.GetCertificateAsync(engagementId, tier, cancellationToken) is { } existing)
        {
            // The same witness again (a retry after a crash) goes on to tell the tier's workflow; anything else is a conflict.
            if (existing.WitnessedBy != caller || existing.Method != witnessed.Method || existing.PerformedOn != Format(witnessed.PerformedOn))
                return Problems.Conflict("The tier's return or erasure is already certified.", $"Certified by {existing.CertifiedBy}.");
        }
        else
        {
            VendorRequestRecord? asked = await AskedNowAsync(engagementId, tier, cancellationToken);
            if (asked is null)
                return Problems.Conflict("The tier is not being asked to return or erase now.", $"Tier {tier} is asked once every tier below it has certified, and only until it has.");
            var certificate = new ReturnCertificateRecord
            {
                PartitionKey = engagementId,
                RowKey = ReturnCertificateRecord.Key(tier),
                RequestId = asked.RequestId,
                Disposition = nameof(Disposition.Erased),
                Method = witnessed.Method,
                PerformedOn = Format(witnessed.PerformedOn),
                PerformedBy = witnessed.PerformedBy,
                Items = JsonSerializer.Serialize(held.Owed, ApiJson.Options),
                CertifiedBy = AuditActors.Staff(caller),
                CertifiedAt = time.GetUtcNow(),
                WitnessedBy = caller,
            };
            var trail = new TrailEntry(
                certificate.CertifiedBy,
                AuditActions.ReturnWitnessed,
                new Dictionary<string, string>
                {
                    ["tier"] = tier,
                    ["requestId"] = asked.RequestId,
                    ["method"] = certificate.Method,
                    ["performedOn"] = certificate.PerformedOn,
                    ["performedBy"] = certificate.PerformedBy,
                    ["items"] = string.Join(", ", held.Owed.Select(holding => $"{holding.DataItem} {holding.Records}")),
                },
                $"closing.{tier}.certified");
            if (!await outbox.CommitAsync(certificate, trail, cancellationToken, adding: true))
                return Problems.Conflict("The tier's return or erasure was certified meanwhile.", $"Tier {tier}.");
        }

        // The tier's request is answered in its place: its links die and its workflow hears of it, as of a submission.
        string requestId = (await store.GetCertificateAsync(engagementId, tier, cancellationToken))!.RequestId;
        await requests.FulfilAsync(engagementId, requestId, WitnessLinkId, AuditActors.Staff(caller), cancellationToken);
        await outbox.TryDeliverAsync(durable, engagementId, VendorRequests.FulfilledEventKey(requestId), cancellationToken);
        return await ViewAsync(engagementId, cancellationToken);
    }

    /// <summary>
    /// <c>POST …/reverse-handovers</c> (7-5): personal data a tier gathered (people who did not become customers) and handed
    /// to the principal, accepted only under the recorded agreement and with the people's consent. Recorded once per
    /// content; shown on the close record.
    /// </summary>
    public async Task<IResult> RecordReverseHandoverAsync(HttpRequest request, string engagementId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        StaffCall<ReverseHandoverBody> admitted = await AdmitAsync(request, Receiving.Taking<ReverseHandoverBody>(), engagementId, cancellationToken);
        if (admitted.Refused is not null)
            return admitted.Refused;
        (string tier, ReverseHandoverBody body) = (TierOf(admitted.Body!.Tier), admitted.Body);
        var handover = new ReverseHandover(
            tier, body.DataItem?.Trim() ?? string.Empty, body.Records ?? 0, body.Agreement?.Trim() ?? string.Empty, body.ConsentBasis?.Trim() ?? string.Empty, body.ReceivedOn ?? default);
        ValidationErrors errors = Returns.CheckReverse(handover, Today);
        if (body.ReceivedOn is null)
            errors.Add("receivedOn", "is required (yyyy-MM-dd).");
        if (tier != Tiers.Contractor && !(await store.OwedAsync(engagementId, cancellationToken)).Tiers.Any(row => row.TierId == tier))
            errors.Add("tier", "is not a tier of this engagement.");
        if (!errors.IsEmpty)
            return Problems.Invalid(errors.ToDictionary());

        var row = new ReverseHandoverRecord
        {
            PartitionKey = engagementId,
            RowKey = ReverseHandoverRecord.Key(handover),
            Tier = tier,
            DataItem = handover.DataItem,
            Records = handover.Records,
            Agreement = handover.Agreement,
            ConsentBasis = handover.ConsentBasis,
            ReceivedOn = Format(handover.ReceivedOn),
            RecordedBy = admitted.Caller,
            RecordedAt = time.GetUtcNow(),
        };
        var trail = new TrailEntry(
            AuditActors.Staff(row.RecordedBy),
            AuditActions.ReverseHandoverRecorded,
            new Dictionary<string, string>
            {
                ["tier"] = tier,
                ["dataItem"] = row.DataItem,
                ["records"] = row.Records.ToString(CultureInfo.InvariantCulture),
                ["agreement"] = row.Agreement,
                ["consentBasis"] = row.ConsentBasis,
                ["receivedOn"] = row.ReceivedOn,
            },
            $"reverse.{row.RowKey}");
        // The same handover recorded again (same content) is one handover.
        await outbox.CommitAsync(row, trail, cancellationToken, adding: true);
        return await ViewAsync(engagementId, cancellationToken);
    }

    /// <summary>Who answers for the principal's receipt of a witness: no link was used, so the request is closed under this name.</summary>
    public const string WitnessLinkId = "principal-witness";

    private DateOnly Today => JapanCalendar.DateAt(time.GetUtcNow());

    private static string TierOf(string? tier) => string.IsNullOrWhiteSpace(tier) ? Tiers.Contractor : tier.Trim();

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<VendorRequestRecord?> AskedNowAsync(string engagementId, string tier, CancellationToken cancellationToken) =>
        (await requests.ListOpenAsync(engagementId, cancellationToken)).FirstOrDefault(open => open.Kind == OpenReturnRequest.RequestKind && open.Subject == tier);

    private async Task<IResult> ViewAsync(string engagementId, CancellationToken cancellationToken) =>
        TypedResults.Ok(await closing.ViewAsync((await engagements.GetAsync(engagementId, cancellationToken))!, cancellationToken));

    /// <summary>The staff preamble, then an engagement whose work runs or ends.</summary>
    private async Task<StaffCall<T>> AdmitAsync<T>(HttpRequest request, StaffRule<T> rule, string engagementId, CancellationToken cancellationToken)
        where T : class
    {
        StaffCall<T> call = await calls.AdmitAsync(request, rule, engagementId, cancellationToken);
        return call.Refused is null && call.Engagement!.Stage is not (nameof(EngagementStage.Active) or nameof(EngagementStage.Closing))
            ? call with { Refused = Problems.Conflict("The principal records returns while the work runs or ends.", $"Engagement {engagementId} is {call.Engagement.Stage}.") }
            : call;
    }
}
