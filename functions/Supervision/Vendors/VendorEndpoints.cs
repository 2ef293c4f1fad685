using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Supervision.Audit;
using Supervision.Domain.Audit;
using Supervision.Domain.Common;
using Supervision.Domain.Evidence;
using Supervision.Domain.Mail;
using Supervision.Domain.Vendors;
using Supervision.Evidence;
using Supervision.Http;
using Supervision.Kernel;

namespace Supervision.Vendors;

public sealed record AnswersBody(Dictionary<string, string?>? Answers);

public sealed record UploadBody(string? FileName, long? Size, string? Sha256, string? ContentType);

public sealed record UploadTicketView(string EvidenceId, Uri UploadUrl, DateTimeOffset ExpiresAt);

public sealed record UploadDecisionView(string EvidenceId, string Status, string? Reason, string? Sha256);

/// <summary>
/// The API a contractor's request page calls through a signed link (<see cref="VendorPages"/>): answer, upload and
/// submit. Every call checks the link again; a refused link changes nothing. Only link ids are ever logged.
/// </summary>
public sealed class VendorEndpoints(
    VendorRequests requests,
    EvidenceStore evidence,
    AuditLog audit,
    EventOutbox outbox,
    IEnumerable<IRequestPage> ownPages,
    ILogger<VendorEndpoints> logger)
{
    private readonly Dictionary<string, IRequestPage> pageByKind = ownPages.ToDictionary(page => page.Kind, StringComparer.Ordinal);

    public const string AnswersRoute = "api/vendor/{token}/answers";
    public const string UploadsRoute = "api/vendor/{token}/uploads";
    public const string CompleteUploadRoute = "api/vendor/{token}/uploads/{evidenceId}/complete";
    public const string SubmitRoute = "api/vendor/{token}/submit";

    public async Task<IResult> AnswerAsync(HttpRequest request, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        LinkCheck check = await requests.CheckAsync(token, LinkPurpose.Respond, cancellationToken);
        if (!check.IsValid)
            return LinkProblem(check.Verdict);
        if (OwnPageProblem(check.Request!) is { } ownPage)
            return ownPage;
        BodyResult<AnswersBody> body = await JsonBody.ReadAsync<AnswersBody>(request, cancellationToken);
        if (body.Problem is not null)
            return body.Problem;

        Dictionary<string, string?> answers = body.Value!.Answers ?? [];
        ValidationErrors errors = AnswerRules.Validate(check.Questions(), answers);
        if (!errors.IsEmpty)
            return Problems.Invalid(errors.ToDictionary());

        byte[] document = JsonSerializer.SerializeToUtf8Bytes(new { requestId = check.Claims!.RequestId, linkId = check.Claims.LinkId, answers }, ApiJson.Options);
        EvidenceRecord stored = await evidence.AddSystemEvidenceAsync(check.Claims.EngagementId, check.Claims.RequestId, RequestSubmission.AnswersFileName, "application/json", document, cancellationToken);
        var submitted = new TrailEntry(
            AuditActors.VendorLink(check.Claims.LinkId),
            AuditActions.AnswersSubmitted,
            new Dictionary<string, string> { ["requestId"] = check.Claims.RequestId, ["evidenceId"] = stored.EvidenceId, ["sha256"] = stored.Sha256! },
            $"evidence.{stored.EvidenceId}");
        if (!await requests.RecordAnswersAsync(check.Claims.EngagementId, check.Claims.RequestId, stored.EvidenceId, submitted, cancellationToken))
        {
            // The request was submitted while these answers were being stored: they came too late, and are never read.
            await audit.AppendAsync(
                check.Claims.EngagementId,
                AuditActors.VendorLink(check.Claims.LinkId),
                AuditActions.AnswersRefusedLate,
                new Dictionary<string, string> { ["requestId"] = check.Claims.RequestId, ["evidenceId"] = stored.EvidenceId },
                cancellationToken,
                entryKey: $"evidence.{stored.EvidenceId}.late");
            return LinkProblem(LinkVerdict.Revoked);
        }

        logger.LogInformation("Answers stored as evidence {EvidenceId} through link {LinkId}", stored.EvidenceId, check.Claims.LinkId);
        return TypedResults.Ok(new { evidenceId = stored.EvidenceId, sha256 = stored.Sha256 });
    }

    public async Task<IResult> BeginUploadAsync(HttpRequest request, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        LinkCheck check = await requests.CheckAsync(token, LinkPurpose.Respond, cancellationToken);
        if (!check.IsValid)
            return LinkProblem(check.Verdict);
        BodyResult<UploadBody> body = await JsonBody.ReadAsync<UploadBody>(request, cancellationToken);
        if (body.Problem is not null)
            return body.Problem;

        UploadBody upload = body.Value!;
        var errors = new ValidationErrors();
        errors.RequiredLine("fileName", upload.FileName, EvidenceRules.MaxFileNameLength);
        if (upload.Size is null or < 1)
            errors.Add("size", "must be the file's size in bytes.");
        if (!EvidenceRules.IsSha256Hex(upload.Sha256))
            errors.Add("sha256", "must be the file's SHA-256 as 64 lowercase hex characters.");
        if (!errors.IsEmpty)
            return Problems.Invalid(errors.ToDictionary());
        if (upload.Size > evidence.MaxBytes)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "The file is too large.",
                detail: $"Files may be at most {evidence.MaxBytes} bytes.",
                extensions: new Dictionary<string, object?> { ["code"] = nameof(EvidenceRejection.TooLarge) });
        }

        UploadTicket ticket = await evidence.BeginUploadAsync(check.Claims!, new DeclaredFile(upload.FileName!.Trim(), upload.Size!.Value, upload.Sha256!), upload.ContentType, cancellationToken);
        logger.LogInformation("Upload {EvidenceId} opened through link {LinkId}", ticket.EvidenceId, check.Claims!.LinkId);
        return TypedResults.Created((string?)null, new UploadTicketView(ticket.EvidenceId, ticket.UploadUrl, ticket.ExpiresAt));
    }

    public async Task<IResult> CompleteUploadAsync(HttpRequest request, string token, string evidenceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        LinkCheck check = await requests.CheckAsync(token, LinkPurpose.Respond, cancellationToken);
        if (!check.IsValid)
            return LinkProblem(check.Verdict);
        EvidenceRecord? record = EngagementIdsShape(evidenceId) ? await evidence.GetAsync(check.Claims!.EngagementId, evidenceId, cancellationToken) : null;
        if (record is null)
            return Problems.NotFound("The upload");
        if (record.RequestId != check.Claims!.RequestId || record.UploaderLinkId == EvidenceStore.SystemUploader)
            return LinkProblem(LinkVerdict.WrongEngagement);

        LinkClaims claims = check.Claims;
        EvidenceDecision? decision = await evidence.CompleteUploadAsync(record, decided => new TrailEntry(
            AuditActors.VendorLink(claims.LinkId),
            decided.Status == nameof(EvidenceStatus.Accepted) ? AuditActions.EvidenceAccepted : AuditActions.EvidenceRejected,
            new Dictionary<string, string>
            {
                ["requestId"] = decided.RequestId,
                ["evidenceId"] = decided.EvidenceId,
                ["fileName"] = decided.OriginalFileName,
                ["sha256"] = decided.Sha256 ?? string.Empty,
                ["reason"] = decided.RejectionReason ?? nameof(EvidenceRejection.None),
            },
            $"evidence.{decided.EvidenceId}"), cancellationToken);
        if (decision is null)
            return Problems.Conflict("The file has not arrived.", "Send the file to the upload URL first, then complete the upload.");

        logger.LogInformation("Upload {EvidenceId} through link {LinkId}: {Status} {Rejection}", evidenceId, check.Claims.LinkId, decision.Status, decision.Rejection);
        var view = new UploadDecisionView(decision.EvidenceId, decision.Status.ToString().ToLowerInvariant(), decision.Rejection == EvidenceRejection.None ? null : decision.Rejection.ToString(), decision.Sha256);
        return decision.Status == EvidenceStatus.Accepted ? TypedResults.Ok(view) : TypedResults.UnprocessableEntity(view);
    }

    /// <summary>
    /// <c>POST /api/vendor/{token}/submit</c>: the contractor submits. Closing the request and the event its workflow is
    /// owed are one write; the event is then delivered, and when that fails it stays owed for the relay, so the answer is
    /// 200 either way. Submitting again through a link of the request answers the same and delivers anything still owed.
    /// </summary>
    public async Task<IResult> SubmitAsync(HttpRequest request, string token, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(durable);
        LinkCheck check = await requests.CheckAsync(token, LinkPurpose.Respond, cancellationToken);
        bool repeated = check is { Verdict: LinkVerdict.Revoked, Request.Status: nameof(RequestStatus.Fulfilled) };
        if (!check.IsValid && !repeated)
            return LinkProblem(check.Verdict);

        VendorRequestRecord submitted = check.Request!;
        if (OwnPageProblem(submitted) is { } ownPage)
            return ownPage;
        if (!repeated
            && !await requests.FulfilAsync(submitted.PartitionKey, submitted.RequestId, check.Claims!.LinkId, cancellationToken)
            && await requests.GetAsync(submitted.PartitionKey, submitted.RequestId, cancellationToken) is not { Status: nameof(RequestStatus.Fulfilled) })
        {
            // Withdrawn while this submission was being recorded.
            return LinkProblem(LinkVerdict.Revoked);
        }

        await outbox.TryDeliverAsync(durable, submitted.PartitionKey, VendorRequests.FulfilledEventKey(submitted.RequestId), cancellationToken);

        logger.LogInformation("Request {RequestId} fulfilled through link {LinkId}{Repeat}", submitted.RequestId, check.Claims!.LinkId, repeated ? " (submitted again)" : string.Empty);
        return TypedResults.Ok(new { requestId = submitted.RequestId, status = nameof(RequestStatus.Fulfilled).ToLowerInvariant() });
    }

    /// <summary>A request answered on a page of its own is neither answered nor submitted through the questionnaire's API.</summary>
    private IResult? OwnPageProblem(VendorRequestRecord request) => pageByKind.ContainsKey(request.Kind)
        ? Problems.Conflict("This request is answered on its own page.", "Open the link in a browser and use the form it shows.")
        : null;

    private static bool EngagementIdsShape(string id) => EngagementIds.IsWellFormed(id);

    internal static int StatusFor(LinkVerdict verdict) => verdict switch
    {
        LinkVerdict.Malformed => StatusCodes.Status400BadRequest,
        LinkVerdict.Expired or LinkVerdict.Revoked => StatusCodes.Status410Gone,
        _ => StatusCodes.Status403Forbidden,
    };

    public static ProblemHttpResult LinkProblem(LinkVerdict verdict) => TypedResults.Problem(
        statusCode: StatusFor(verdict),
        title: "This link cannot be used.",
        detail: VendorPageText.Explain(verdict, Language.En),
        extensions: new Dictionary<string, object?> { ["code"] = verdict.ToString() });
}

/// <summary>Raised to the waiting workflow when the contractor submits a request.</summary>
public sealed record VendorRequestFulfilled(string RequestId, string LinkId);
