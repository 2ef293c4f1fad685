using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Contracts;
using Supervision.Domain.Staff;
using Supervision.Durable;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Security;
using Supervision.Vendors;

namespace Supervision.Handovers;

/// <summary>
/// The handover ledger (2-4) and paper/media checkouts (7-3). Nothing is entered before the contract is complete: the
/// gate answers 409 naming every missing clause or term. Procurement and supervisors record; every reader lists.
/// </summary>
public sealed class HandoverEndpoints(
    EngagementStore engagements,
    HandoverStore store,
    TierStore tiers,
    AuditLog audit,
    StaffAccess staff,
    IOptions<RequestOptions> options,
    TimeProvider time,
    ILogger<HandoverEndpoints> logger)
{
    public const string HandoversRoute = "api/engagements/{engagementId}/handovers";
    public const string CheckoutsRoute = "api/engagements/{engagementId}/checkouts";
    public const string ReturnRoute = "api/engagements/{engagementId}/checkouts/{checkoutId}/return";

    private static readonly StaffRole[] Recorders = [StaffRole.Procurement, StaffRole.Supervisor];

    /// <summary>The durable instance of a handover's acknowledgement: <c>{engagementId}-handover-{handoverId}</c>.</summary>
    public static string HandoverInstanceId(string engagementId, string handoverId) => $"{engagementId}-handover-{handoverId}";

    /// <summary>The durable instance chasing a checkout's return: <c>{engagementId}-checkout-{checkoutId}</c>.</summary>
    public static string CheckoutInstanceId(string engagementId, string checkoutId) => $"{engagementId}-checkout-{checkoutId}";

    /// <summary>
    /// <c>POST …/handovers</c>: enters a handover in the ledger once the contract is complete and the entry is within it,
    /// and asks its receiver to acknowledge it. The same <c>Idempotency-Key</c> again answers with the same entry.
    /// </summary>
    public async Task<IResult> RecordHandoverAsync(HttpRequest request, string engagementId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        Admission<HandoverEntry> admission = await AdmitAsync<HandoverEntry>(request, engagementId, cancellationToken);
        if (admission.Problem is not null)
            return admission.Problem;

        HandoverEntry entry = admission.Body!;
        HandoverTerms terms = admission.Engagement!.Terms()!;
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
        string hash = Hash(normalised);
        string handoverId = admission.IdFor("handover");
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
            HandedOverOn = Format(normalised.HandedOverOn!.Value),
            RecordedBy = admission.Caller!,
            RecordedAt = time.GetUtcNow(),
            EntryHash = hash,
            ToTier = toTier,
        };

        (HandoverRecord stored, bool created) = await store.AddOrGetAsync(record, cancellationToken);
        if (!created && stored.EntryHash != hash)
            return IdempotencyConflict("handover", handoverId);

        // Also on a repeat: a crash between the row and the start must not leave an entry without its trail or its workflow.
        await audit.AppendAsync(
            engagementId,
            AuditActors.Staff(stored.RecordedBy),
            AuditActions.HandoverRecorded,
            new Dictionary<string, string>
            {
                ["handoverId"] = handoverId,
                ["dataItems"] = string.Join(", ", items),
                ["recordCount"] = stored.RecordCount.ToString(CultureInfo.InvariantCulture),
                ["medium"] = stored.Medium,
                ["transferMethod"] = stored.TransferMethod,
                ["receiver"] = stored.ReceiverName,
                ["toTier"] = stored.ToTier ?? Tiers.Contractor,
                ["handedOverOn"] = stored.HandedOverOn,
                ["entryHash"] = hash,
            },
            cancellationToken,
            entryKey: $"handover.{handoverId}.recorded");
        await DurableStarts.StartOnceAsync(durable, nameof(HandoverWorkflow), new HandoverWorkflowInput(engagementId, handoverId), HandoverInstanceId(engagementId, handoverId), cancellationToken);
        if (created)
            logger.LogInformation("Handover {HandoverId} of engagement {EngagementId} recorded: {RecordCount} records", handoverId, engagementId, stored.RecordCount);

        string location = "/" + HandoversRoute.Replace("{engagementId}", engagementId, StringComparison.Ordinal);
        return TypedResults.Accepted(location, View(stored));
    }

    /// <summary><c>GET …/handovers</c>: the ledger, oldest first, with where each acknowledgement stands.</summary>
    public async Task<IResult> ListHandoversAsync(HttpRequest request, string engagementId, CancellationToken cancellationToken)
    {
        IResult? denied = await ReadableAsync(request, engagementId, cancellationToken);
        if (denied is not null)
            return denied;
        return TypedResults.Ok(new HandoverList(Ledger(await store.ListHandoversAsync(engagementId, cancellationToken))));
    }

    /// <summary><c>POST …/checkouts</c>: paper or media taken out by the contractor, with the date it is due back (7-3).</summary>
    public async Task<IResult> RecordCheckoutAsync(HttpRequest request, string engagementId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        Admission<CheckoutBody> admission = await AdmitAsync<CheckoutBody>(request, engagementId, cancellationToken);
        if (admission.Problem is not null)
            return admission.Problem;

        CheckoutBody body = admission.Body!;
        var errors = new ValidationErrors();
        if (body.CheckedOutOn is null)
            errors.Add("checkedOutOn", "is required (yyyy-MM-dd).");
        else
            errors.NotInFuture("checkedOutOn", body.CheckedOutOn.Value, Today());
        if (body.DueBack is null)
            errors.Add("dueBack", "is required (yyyy-MM-dd).");
        var checkout = new Checkout(body.ItemDescription?.Trim() ?? string.Empty, body.CheckedOutOn ?? default, body.DueBack ?? default);
        foreach ((string field, string[] messages) in CheckoutRules.Validate(checkout).ToDictionary())
        {
            if (field != "dueBack" || (body.CheckedOutOn is not null && body.DueBack is not null))
                Array.ForEach(messages, message => errors.Add(field, message));
        }

        if (!errors.IsEmpty)
            return Problems.Invalid(errors.ToDictionary());

        string hash = Hash(checkout);
        string checkoutId = admission.IdFor("checkout");
        var record = new CheckoutRecord
        {
            PartitionKey = engagementId,
            RowKey = CheckoutRecord.Key(checkoutId),
            ItemDescription = checkout.ItemDescription,
            CheckedOutOn = Format(checkout.CheckedOutOn),
            DueBack = Format(checkout.DueBack),
            RecordedBy = admission.Caller!,
            RecordedAt = time.GetUtcNow(),
            EntryHash = hash,
        };
        (CheckoutRecord stored, bool created) = await store.AddOrGetAsync(record, cancellationToken);
        if (!created && stored.EntryHash != hash)
            return IdempotencyConflict("checkout", checkoutId);

        await audit.AppendAsync(
            engagementId,
            AuditActors.Staff(stored.RecordedBy),
            AuditActions.CheckoutRecorded,
            new Dictionary<string, string>
            {
                ["checkoutId"] = checkoutId,
                ["item"] = stored.ItemDescription,
                ["checkedOutOn"] = stored.CheckedOutOn,
                ["dueBack"] = stored.DueBack,
            },
            cancellationToken,
            entryKey: $"checkout.{checkoutId}.recorded");
        RequestOptions chase = options.Value;
        await DurableStarts.StartOnceAsync(
            durable,
            nameof(CheckoutWorkflow),
            new CheckoutWorkflowInput(engagementId, checkoutId, Parse(stored.DueBack), chase.ReminderInterval, chase.MaxReminders),
            CheckoutInstanceId(engagementId, checkoutId),
            cancellationToken);
        if (created)
            logger.LogInformation("Checkout {CheckoutId} of engagement {EngagementId} recorded, due back {DueBack}", checkoutId, engagementId, stored.DueBack);

        string location = "/" + CheckoutsRoute.Replace("{engagementId}", engagementId, StringComparison.Ordinal);
        return TypedResults.Accepted(location, View(stored, Today()));
    }

    /// <summary>
    /// <c>POST …/checkouts/{id}/return</c>: records the date the item came back and stops the chasing. The same date again
    /// changes nothing; a different date for an item already returned is a conflict.
    /// </summary>
    public async Task<IResult> ReturnCheckoutAsync(HttpRequest request, string engagementId, string checkoutId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        StaffAccessResult access = staff.ToChange(request, Recorders);
        if (access.Denied is not null)
            return access.Denied;
        if (!EngagementIds.IsWellFormed(engagementId) || !EngagementIds.IsWellFormed(checkoutId))
            return Problems.NotFound("The checkout");

        BodyResult<ReturnBody> body = await JsonBody.ReadAsync<ReturnBody>(request, cancellationToken);
        if (body.Problem is not null)
            return body.Problem;
        CheckoutRecord? existing = await store.GetCheckoutAsync(engagementId, checkoutId, cancellationToken);
        if (existing is null)
            return Problems.NotFound("The checkout");

        DateOnly today = Today();
        var errors = new ValidationErrors();
        if (body.Value!.ReturnedOn is not { } returnedOn)
        {
            errors.Add("returnedOn", "is required (yyyy-MM-dd).");
            return Problems.Invalid(errors.ToDictionary());
        }

        errors.NotInFuture("returnedOn", returnedOn, today);
        if (returnedOn < Parse(existing.CheckedOutOn))
            errors.Add("returnedOn", $"must not be before checkedOutOn ({existing.CheckedOutOn}).");
        if (!errors.IsEmpty)
            return Problems.Invalid(errors.ToDictionary());

        string returned = Format(returnedOn);
        string caller = access.User!.Name;
        CheckoutRecord stored = (await store.UpdateAsync<CheckoutRecord>(engagementId, CheckoutRecord.Key(checkoutId), row =>
        {
            if (row.ReturnedOn is not null)
                return false;
            row.ReturnedOn = returned;
            row.ReturnRecordedAt = time.GetUtcNow();
            row.ReturnRecordedBy = caller;
            return true;
        }, cancellationToken))!;
        if (stored.ReturnedOn != returned)
        {
            return Problems.Conflict(
                "The item was already returned on another date.",
                $"Checkout {checkoutId} was recorded as returned on {stored.ReturnedOn}.");
        }

        Checkout checkout = ToCheckout(stored);
        await audit.AppendAsync(
            engagementId,
            AuditActors.Staff(stored.ReturnRecordedBy ?? caller),
            AuditActions.CheckoutReturned,
            new Dictionary<string, string>
            {
                ["checkoutId"] = checkoutId,
                ["returnedOn"] = returned,
                ["dueBack"] = stored.DueBack,
                ["late"] = CheckoutRules.WasReturnedLate(checkout, returnedOn) ? "true" : "false",
            },
            cancellationToken,
            entryKey: $"checkout.{checkoutId}.returned");

        string instanceId = CheckoutInstanceId(engagementId, checkoutId);
        if (await durable.GetInstanceAsync(instanceId, cancellationToken) is { IsRunning: true } or { RuntimeStatus: OrchestrationRuntimeStatus.Pending })
            await durable.RaiseEventAsync(instanceId, nameof(CheckoutReturned), new CheckoutReturned(returned, caller), cancellationToken);
        return TypedResults.Ok(View(stored, today));
    }

    /// <summary><c>GET …/checkouts</c>: every checkout, oldest first, with whether and how long it is overdue today.</summary>
    public async Task<IResult> ListCheckoutsAsync(HttpRequest request, string engagementId, CancellationToken cancellationToken)
    {
        IResult? denied = await ReadableAsync(request, engagementId, cancellationToken);
        if (denied is not null)
            return denied;
        DateOnly today = Today();
        List<CheckoutRecord> rows = await store.ListCheckoutsAsync(engagementId, cancellationToken);
        return TypedResults.Ok(new CheckoutList([.. rows.OrderBy(row => row.RecordedAt).Select(row => View(row, today))]));
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

    private async Task<Admission<T>> AdmitAsync<T>(HttpRequest request, string engagementId, CancellationToken cancellationToken)
        where T : class
    {
        StaffAccessResult access = staff.ToChange(request, Recorders);
        if (access.Denied is not null)
            return new Admission<T>(access.Denied);

        if (StaffInput.IdempotencyKey(request, out string? idempotencyKey) is { } badKey)
            return new Admission<T>(badKey);

        if (!EngagementIds.IsWellFormed(engagementId))
            return new Admission<T>(Problems.NotFound("The engagement"));
        BodyResult<T> body = await JsonBody.ReadAsync<T>(request, cancellationToken);
        if (body.Problem is not null)
            return new Admission<T>(body.Problem);
        EngagementRecord? engagement = await engagements.GetAsync(engagementId, cancellationToken);
        if (engagement is null)
            return new Admission<T>(Problems.NotFound("The engagement"));

        if (engagement.Stage is nameof(Domain.Engagements.EngagementStage.Closing) or nameof(Domain.Engagements.EngagementStage.Closed))
            return new Admission<T>(Problems.Conflict("The engagement has ended: nothing more may be handed over.", $"Engagement {engagementId} is {engagement.Stage}."));

        GateResult gate = engagement.Gate();
        if (!gate.IsOpen)
        {
            logger.LogWarning("Engagement {EngagementId}: entry refused, the contract lacks {MissingCount} items", engagementId, gate.Missing.Count);
            return new Admission<T>(ContractIncomplete(gate));
        }

        return new Admission<T>(null, engagement, body.Value, access.User!.Name, engagementId, idempotencyKey);
    }

    private async Task<IResult?> ReadableAsync(HttpRequest request, string engagementId, CancellationToken cancellationToken)
    {
        StaffAccessResult access = staff.ToRead(request, StaffRoles.Readers);
        if (access.Denied is not null)
            return access.Denied;
        if (!EngagementIds.IsWellFormed(engagementId) || await engagements.GetAsync(engagementId, cancellationToken) is null)
            return Problems.NotFound("The engagement");
        return null;
    }

    private static IResult IdempotencyConflict(string what, string id) => Problems.Conflict(
        "The idempotency key was already used for a different request.",
        $"The {what} {id} was recorded with this {StaffInput.IdempotencyKeyHeader}; use a new key for a new {what}.");

    private DateOnly Today() => JapanCalendar.DateAt(time.GetUtcNow());

    private static string Hash<T>(T value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value, ApiJson.Options))));

    internal static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static DateOnly Parse(string date) => DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static Checkout ToCheckout(CheckoutRecord row) => new(row.ItemDescription, Parse(row.CheckedOutOn), Parse(row.DueBack));

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

    private static CheckoutView View(CheckoutRecord row, DateOnly today)
    {
        Checkout checkout = ToCheckout(row);
        DateOnly? returnedOn = row.ReturnedOn is null ? null : Parse(row.ReturnedOn);
        return new CheckoutView(
            row.CheckoutId,
            row.ItemDescription,
            row.CheckedOutOn,
            row.DueBack,
            row.ReturnedOn,
            CheckoutRules.IsOverdue(checkout, returnedOn, today),
            CheckoutRules.DaysOverdue(checkout, returnedOn, today),
            returnedOn is { } back && CheckoutRules.WasReturnedLate(checkout, back),
            row.OverdueReminders,
            row.EscalatedAt,
            row.RecordedBy,
            row.RecordedAt);
    }

    /// <summary>What every recording handler needs once the caller, the engagement, the gate and the body passed.</summary>
    private sealed record Admission<T>(IResult? Problem, EngagementRecord? Engagement = null, T? Body = null, string? Caller = null, string? EngagementId = null, string? IdempotencyKey = null)
        where T : class
    {
        /// <summary>A new id, or with an idempotency key one derived from the engagement, the caller and the key.</summary>
        public string IdFor(string kind) => IdempotencyKey is null
            ? EngagementIds.New()
            : EngagementIds.FromIdempotencyKey($"{EngagementId}\n{kind}\n{Caller}", IdempotencyKey);
    }
}

public sealed record CheckoutBody(string? ItemDescription, DateOnly? CheckedOutOn, DateOnly? DueBack);

public sealed record ReturnBody(DateOnly? ReturnedOn);

/// <summary>Raised to a checkout's workflow when the item is back.</summary>
public sealed record CheckoutReturned(string ReturnedOn, string RecordedBy);

public sealed record MissingView(string Code, string Description);

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

public sealed record CheckoutView(
    string Id,
    string ItemDescription,
    string CheckedOutOn,
    string DueBack,
    string? ReturnedOn,
    bool Overdue,
    int DaysOverdue,
    bool ReturnedLate,
    int OverdueReminders,
    DateTimeOffset? EscalatedAt,
    string RecordedBy,
    DateTimeOffset RecordedAt);

public sealed record CheckoutList(IReadOnlyList<CheckoutView> Items);
