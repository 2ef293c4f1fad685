using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Supervision.Audit;

namespace Supervision.Functions.Audit;

/// <summary>Bindings of the audit trail's HTTP API; each hands over to the library.</summary>
public sealed class AuditFunctions(AuditEndpoints endpoints)
{
    [Function("ListAudit")]
    public Task<IResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = AuditEndpoints.ListRoute)] HttpRequest request,
        string engagementId) =>
        endpoints.ListAsync(request, engagementId, request.HttpContext.RequestAborted);

    [Function("VerifyAudit")]
    public Task<IResult> Verify(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = AuditEndpoints.VerificationRoute)] HttpRequest request,
        string engagementId) =>
        endpoints.VerifyAsync(request, engagementId, request.HttpContext.RequestAborted);

    [Function("ExportAuditCsv")]
    public Task<IResult> ExportCsv(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = AuditEndpoints.CsvRoute)] HttpRequest request,
        string engagementId) =>
        endpoints.ExportCsvAsync(request, engagementId, request.HttpContext.RequestAborted);
}
