using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Contracts;
using Supervision.Domain.Engagements;
using Supervision.Domain.Staff;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Security;

namespace Supervision.Contracts;

/// <summary>
/// Staff's side of the contract stage: procurement records the data-handover terms of 2-4 as agreed in the contract, a
/// supervisor confirms each clause of 2-1 against the signed contract the contractor uploaded. The change that completes
/// the contract tells the waiting workflow.
/// </summary>
public sealed class ContractEndpoints(EngagementStore store, AuditLog audit, StaffCalls calls, ILogger<ContractEndpoints> logger)
{
    public const string TermsRoute = "api/engagements/{engagementId}/contract/terms";
    public const string ClauseRoute = "api/engagements/{engagementId}/contract/clauses/{clause}/confirmation";
    public const int MaxArticleLength = 100;

    private static readonly StaffRule RecordingTerms = StaffRule.ToChange(StaffRole.Procurement, StaffRole.Supervisor);
    private static readonly StaffRule Confirming = StaffRule.ToChange(StaffRole.Supervisor);

    /// <summary><c>PUT …/contract/terms</c>: the contract's term and its handover terms, complete and acceptable, replacing any recorded before.</summary>
    public async Task<IResult> RecordTermsAsync(HttpRequest request, string engagementId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        StaffCall<ContractTermsBody> call = await calls.AdmitAsync(request, RecordingTerms.Taking<ContractTermsBody>(Validate), engagementId, cancellationToken);
        if (call.Refused is not null)
            return call.Refused;
        EngagementRecord found = call.Engagement!;
        if (NotOpenForChange(found) is { } refused)
            return refused;

        ContractTermsBody body = call.Body!;
        string termsJson = JsonSerializer.Serialize(body.Terms, ApiJson.Options);
        string startsOn = body.StartsOn!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string endsOn = body.EndsOn!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        found.HandoverTerms = termsJson;
        found.ContractStartsOn = startsOn;
        found.ContractEndsOn = endsOn;
        string by = call.Caller;
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(termsJson)));
        var recorded = new TrailEntry(
            AuditActors.Staff(by),
            AuditActions.ContractTermsRecorded,
            new Dictionary<string, string> { ["startsOn"] = startsOn, ["endsOn"] = endsOn, ["termsSha256"] = hash, ["reportFrequency"] = body.Terms!.Reporting!.Frequency.ToString() },
            $"contract.terms.{hash}.{startsOn}.{endsOn}");
        switch (await audit.CommitAsync(engagementId, [new TableTransactionAction(TableTransactionActionType.UpdateReplace, found, found.ETag)], [recorded], cancellationToken))
        {
            case TrailCommit.Refused:
                return Changed();
            case TrailCommit.AlreadyCommitted when !await store.TryReplaceAsync(found, cancellationToken):
                // These terms were recorded before (the entry's key is their hash and dates), and their entry stands: the
                // row is written as it was before this change, once, with these terms again (a repeat, or after others).
                return Changed();
        }

        logger.LogInformation("Engagement {EngagementId}: handover terms recorded by {By}", engagementId, by);
        return await AnswerAsync(found, durable, by, cancellationToken);
    }

    /// <summary>
    /// <c>POST …/contract/clauses/{clause}/confirmation</c>: a supervisor confirms one clause of 2-1, saying where the signed
    /// contract states it. Confirming a confirmed clause changes nothing, and still tells a workflow that missed the completion.
    /// </summary>
    public async Task<IResult> ConfirmClauseAsync(HttpRequest request, string engagementId, string clause, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        IResult? unknownClause = TryParseClause(clause, out ContractClause confirmed)
            ? null
            : TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "There is no such clause.",
                detail: $"The clauses of 2-1 are: {string.Join(", ", ContractClauses.All.Select(Name))}.");
        StaffCall<ClauseConfirmationBody> call = await calls.AdmitAsync(request, Confirming.Taking<ClauseConfirmationBody>(ValidateArticle), engagementId, cancellationToken, unknownClause);
        if (call.Refused is not null)
            return call.Refused;
        EngagementRecord found = call.Engagement!;
        string by = call.Caller;
        bool repeated = found.Clauses().Contains(confirmed);
        if (!repeated)
        {
            if (NotOpenForChange(found) is { } refused)
                return refused;
            if (found.SignedContractEvidenceId is null)
            {
                return Problems.Conflict(
                    "The signed contract has not been uploaded.",
                    "Clauses are confirmed against the contract the contractor signed; it is asked for through the contractor's link.");
            }

            found.SetClauses(found.Clauses().Append(confirmed));
        }

        string article = call.Body!.Article!.Trim();
        var entry = new TrailEntry(
            AuditActors.Staff(by),
            AuditActions.ContractClauseConfirmed,
            new Dictionary<string, string> { ["clause"] = Name(confirmed), ["article"] = article, ["signedContractEvidenceId"] = found.SignedContractEvidenceId ?? string.Empty },
            $"contract.clause.{confirmed}");
        if (repeated)
        {
            // Also on a repeat: an earlier version wrote the row and the entry apart, and a crash between them must not
            // leave the confirmation unrecorded. The entry key makes a repeat append nothing when the first got through.
            await audit.AppendAsync(engagementId, entry, cancellationToken);
        }
        else
        {
            // The clause with its entry, in one transaction.
            if (await audit.CommitAsync(engagementId, [new TableTransactionAction(TableTransactionActionType.UpdateReplace, found, found.ETag)], [entry], cancellationToken) != TrailCommit.Committed)
                return Changed();
            logger.LogInformation("Engagement {EngagementId}: clause {Clause} confirmed by {By}", engagementId, confirmed, by);
        }

        return await AnswerAsync(found, durable, by, cancellationToken);
    }

    /// <summary>The contract as staff see it: what is recorded, and each missing item with the party that owes it.</summary>
    public static ContractView View(EngagementRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        IReadOnlySet<ContractClause> confirmed = record.Clauses();
        return new ContractView(
            record.ContractRequestId,
            record.ContractDueAt,
            record.ContractStartsOn,
            record.ContractEndsOn,
            record.Terms(),
            record.SignedContractEvidenceId,
            record.ResponsibilitySplitAgreedAt,
            [.. ContractClauses.All.Select(clause => new ClauseView(Name(clause), clause.TitleJa(), clause.TitleEn(), confirmed.Contains(clause)))],
            [.. record.Gate().Missing.Select(gap => new MissingView(gap.Code, gap.Description, Name(HandoverGate.OwedBy(gap))))],
            record.ContractCompletedAt);
    }

    private async Task<IResult> AnswerAsync(EngagementRecord record, DurableTaskClient durable, string by, CancellationToken cancellationToken)
    {
        if (record.Gate().IsOpen && record.Stage == nameof(EngagementStage.ContractRequested))
        {
            await durable.RaiseEventAsync(record.EngagementId, nameof(ContractCompleted), new ContractCompleted(by), cancellationToken);
            logger.LogInformation("Engagement {EngagementId}: contract complete", record.EngagementId);
        }

        return TypedResults.Ok(View(record));
    }

    private static ValidationErrors Validate(ContractTermsBody body)
    {
        var errors = new ValidationErrors();
        if (body.StartsOn is null)
            errors.Add("startsOn", "is required: the first day of the contract (yyyy-MM-dd).");
        if (body.EndsOn is null)
            errors.Add("endsOn", "is required: the last day of the contract (yyyy-MM-dd).");
        else if (body.StartsOn is { } start && body.EndsOn < start)
            errors.Add("endsOn", "must not be before startsOn.");
        if (body.Terms is null)
        {
            errors.Add("terms", "is required: the data-handover terms of 2-4 as the contract states them.");
            return errors;
        }

        foreach ((string field, string[] messages) in HandoverTermsRules.Validate(body.Terms).ToDictionary())
        {
            foreach (string message in messages)
                errors.Add($"terms.{field}", message);
        }

        return errors;
    }

    private static ValidationErrors ValidateArticle(ClauseConfirmationBody body)
    {
        var errors = new ValidationErrors();
        errors.RequiredLine("article", body.Article, MaxArticleLength);
        return errors;
    }

    private static IResult? NotOpenForChange(EngagementRecord record)
    {
        if (record.Stage == nameof(EngagementStage.ContractRequested) && record.ContractCompletedAt is null)
            return null;
        return Problems.Conflict(
            "The engagement's contract cannot be changed now.",
            record.ContractCompletedAt is null
                ? $"It is at stage {JsonNamingPolicy.CamelCase.ConvertName(record.Stage)}; the contract is drawn up after the selection is approved."
                : "The contract is complete; a change to it is a new contract.");
    }

    private static IResult Changed() =>
        Problems.Conflict("The engagement changed while this was recorded.", "Read it again and repeat the change if it is still needed.");

    private static bool TryParseClause(string value, out ContractClause clause) =>
        Enum.TryParse(value, ignoreCase: true, out clause) && !value.Any(char.IsAsciiDigit) && Enum.IsDefined(clause);

    private static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}

public sealed record ContractTermsBody(DateOnly? StartsOn, DateOnly? EndsOn, HandoverTerms? Terms);

public sealed record ClauseConfirmationBody(string? Article);

public sealed record ClauseView(string Clause, string TitleJa, string TitleEn, bool Confirmed);

public sealed record MissingView(string Code, string Description, string From);

public sealed record ContractView(
    string? RequestId,
    DateTimeOffset? DueAt,
    string? StartsOn,
    string? EndsOn,
    HandoverTerms? Terms,
    string? SignedContractEvidenceId,
    DateTimeOffset? ResponsibilitySplitAgreedAt,
    IReadOnlyList<ClauseView> Clauses,
    IReadOnlyList<MissingView> Missing,
    DateTimeOffset? CompletedAt);
