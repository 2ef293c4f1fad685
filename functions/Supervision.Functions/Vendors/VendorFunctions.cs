using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Supervision.Vendors;

namespace Supervision.Functions.Vendors;

/// <summary>
/// The vendor pages and their API: anonymous at the platform, authorised by the signed link in the URL.
/// </summary>
public sealed class VendorFunctions(VendorPages pages, VendorEndpoints endpoints)
{
    [Function("VendorPage")]
    public Task<IResult> Page(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = VendorPages.PageRoute)] HttpRequest request, string token) =>
        pages.PageAsync(request, token, request.HttpContext.RequestAborted);

    [Function("VendorOpenRequests")]
    public Task<IResult> OpenRequests(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = VendorPages.OpenRequestsRoute)] HttpRequest request, string token) =>
        pages.OpenRequestsPageAsync(request, token, request.HttpContext.RequestAborted);

    [Function("VendorAnswers")]
    public Task<IResult> Answers(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = VendorEndpoints.AnswersRoute)] HttpRequest request, string token) =>
        endpoints.AnswerAsync(request, token, request.HttpContext.RequestAborted);

    [Function("VendorBeginUpload")]
    public Task<IResult> BeginUpload(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = VendorEndpoints.UploadsRoute)] HttpRequest request, string token) =>
        endpoints.BeginUploadAsync(request, token, request.HttpContext.RequestAborted);

    [Function("VendorCompleteUpload")]
    public Task<IResult> CompleteUpload(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = VendorEndpoints.CompleteUploadRoute)] HttpRequest request, string token, string evidenceId) =>
        endpoints.CompleteUploadAsync(request, token, evidenceId, request.HttpContext.RequestAborted);

    [Function("VendorSubmit")]
    public Task<IResult> Submit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = VendorEndpoints.SubmitRoute)] HttpRequest request, string token,
        [DurableClient] DurableTaskClient durable) =>
        endpoints.SubmitAsync(request, token, durable, request.HttpContext.RequestAborted);
}
