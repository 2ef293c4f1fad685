using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Contracts;
using Supervision.Durable;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Security;
using Supervision.Vendors;

namespace Supervision.Handovers;

/// <summary>
/// Paper and media the contractor takes out (7-3): each checkout is recorded with the date it is due back and chased by
/// its own workflow from the Japan day after that date until a recorder enters its return.
/// </summary>
public sealed class CheckoutEndpoints(
    HandoverStore store,
    LedgerGate gate,
    StaffCalls calls,
    IOptions<RequestOptions> options,
    TimeProvider time,
    ILogger<CheckoutEndpoints> logger)
{
    public const string CheckoutsRoute = "api/engagements/{engagementId}/checkouts";
    public const string ReturnRoute = "api/engagements/{engagementId}/checkouts/{checkoutId}/return";

    private static readonly StaffRule Returning = StaffRule.ToChange(LedgerGate.Recorders) with { Subject = "The checkout", LoadsEngagement = false };

    /// <summary>The durable instance chasing a checkout's return: <c>{engagementId}-checkout-{checkoutId}</c>.</summary>
    public static string CheckoutInstanceId(string engagementId, string checkoutId) => $"{engagementId}-checkout-{checkoutId}";

    /// <summary><c>POST …/checkouts</c>: paper or media taken out by the contractor, with the date it is due back (7-3).</summary>
    public async Task<IResult> RecordCheckoutAsync(HttpRequest request, string engagementId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        StaffCall<CheckoutBody> call = await gate.AdmitAsync<CheckoutBody>(request, engagementId, cancellationToken);
        if (call.Refused is not null)
            return call.Refused;

        CheckoutBody body = call.Body!;
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

        string hash = LedgerGate.Hash(checkout);
        string checkoutId = call.IdFor("checkout");
        var record = new CheckoutRecord
        {
            PartitionKey = engagementId,
            RowKey = CheckoutRecord.Key(checkoutId),
            ItemDescription = checkout.ItemDescription,
            CheckedOutOn = LedgerGate.Format(checkout.CheckedOutOn),
            DueBack = LedgerGate.Format(checkout.DueBack),
            RecordedBy = call.Caller,
            RecordedAt = time.GetUtcNow(),
            EntryHash = hash,
        };
        (CheckoutRecord stored, bool created) = await store.AddOrGetAsync(
            record,
            row => row.EntryHash != hash ? null : new TrailEntry(
                AuditActors.Staff(row.RecordedBy),
                AuditActions.CheckoutRecorded,
                new Dictionary<string, string>
                {
                    ["checkoutId"] = checkoutId,
                    ["item"] = row.ItemDescription,
                    ["checkedOutOn"] = row.CheckedOutOn,
                    ["dueBack"] = row.DueBack,
                },
                $"checkout.{checkoutId}.recorded"),
            cancellationToken);
        if (!created && stored.EntryHash != hash)
            return LedgerGate.IdempotencyConflict("checkout", checkoutId);

        RequestOptions chase = options.Value;
        await DurableStarts.StartOnceAsync(
            durable,
            nameof(CheckoutWorkflow),
            new CheckoutWorkflowInput(engagementId, checkoutId, LedgerGate.Parse(stored.DueBack), chase.ReminderInterval, chase.MaxReminders),
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
        StaffCall<ReturnBody, CheckoutRecord> call = await calls.AdmitAsync(
            request,
            Returning.Taking<ReturnBody>(),
            engagementId,
            new StaffSubject<CheckoutRecord>(EngagementIds.IsWellFormed(checkoutId), token => store.GetCheckoutAsync(engagementId, checkoutId, token)),
            cancellationToken);
        if (call.Refused is not null)
            return call.Refused;

        CheckoutRecord existing = call.Subject!;
        DateOnly today = Today();
        var errors = new ValidationErrors();
        if (call.Body!.ReturnedOn is not { } returnedOn)
        {
            errors.Add("returnedOn", "is required (yyyy-MM-dd).");
            return Problems.Invalid(errors.ToDictionary());
        }

        errors.NotInFuture("returnedOn", returnedOn, today);
        if (returnedOn < LedgerGate.Parse(existing.CheckedOutOn))
            errors.Add("returnedOn", $"must not be before checkedOutOn ({existing.CheckedOutOn}).");
        if (!errors.IsEmpty)
            return Problems.Invalid(errors.ToDictionary());

        string returned = LedgerGate.Format(returnedOn);
        string caller = call.Caller;
        TrailEntry? Returned(CheckoutRecord row) => row.ReturnedOn != returned ? null : new TrailEntry(
            AuditActors.Staff(row.ReturnRecordedBy ?? caller),
            AuditActions.CheckoutReturned,
            new Dictionary<string, string>
            {
                ["checkoutId"] = checkoutId,
                ["returnedOn"] = returned,
                ["dueBack"] = row.DueBack,
                ["late"] = CheckoutRules.WasReturnedLate(ToCheckout(row), returnedOn) ? "true" : "false",
            },
            $"checkout.{checkoutId}.returned");
        CheckoutRecord stored = (await store.UpdateAsync<CheckoutRecord>(engagementId, CheckoutRecord.Key(checkoutId), row =>
        {
            if (row.ReturnedOn is not null)
                return false;
            row.ReturnedOn = returned;
            row.ReturnRecordedAt = time.GetUtcNow();
            row.ReturnRecordedBy = caller;
            return true;
        }, Returned, cancellationToken))!;
        if (stored.ReturnedOn != returned)
        {
            return Problems.Conflict(
                "The item was already returned on another date.",
                $"Checkout {checkoutId} was recorded as returned on {stored.ReturnedOn}.");
        }

        string instanceId = CheckoutInstanceId(engagementId, checkoutId);
        if (await durable.GetInstanceAsync(instanceId, cancellationToken) is { IsRunning: true } or { RuntimeStatus: OrchestrationRuntimeStatus.Pending })
            await durable.RaiseEventAsync(instanceId, nameof(CheckoutReturned), new CheckoutReturned(returned, caller), cancellationToken);
        return TypedResults.Ok(View(stored, today));
    }

    /// <summary><c>GET …/checkouts</c>: every checkout, oldest first, with whether and how long it is overdue today.</summary>
    public async Task<IResult> ListCheckoutsAsync(HttpRequest request, string engagementId, CancellationToken cancellationToken)
    {
        StaffCall call = await calls.AdmitAsync(request, StaffRule.AnyReader, engagementId, cancellationToken);
        if (call.Refused is not null)
            return call.Refused;
        DateOnly today = Today();
        List<CheckoutRecord> rows = await store.ListCheckoutsAsync(engagementId, cancellationToken);
        return TypedResults.Ok(new CheckoutList([.. rows.OrderBy(row => row.RecordedAt).Select(row => View(row, today))]));
    }

    private DateOnly Today() => JapanCalendar.DateAt(time.GetUtcNow());

    internal static Checkout ToCheckout(CheckoutRecord row) => new(row.ItemDescription, LedgerGate.Parse(row.CheckedOutOn), LedgerGate.Parse(row.DueBack));

    private static CheckoutView View(CheckoutRecord row, DateOnly today)
    {
        Checkout checkout = ToCheckout(row);
        DateOnly? returnedOn = row.ReturnedOn is null ? null : LedgerGate.Parse(row.ReturnedOn);
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
}

public sealed record CheckoutBody(string? ItemDescription, DateOnly? CheckedOutOn, DateOnly? DueBack);

public sealed record ReturnBody(DateOnly? ReturnedOn);

/// <summary>Raised to a checkout's workflow when the item is back.</summary>
public sealed record CheckoutReturned(string ReturnedOn, string RecordedBy);

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
