using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Supervision.Portfolio;

namespace Supervision.Functions.Portfolio;

/// <summary>Bindings of the portfolio and of my work, as API and as pages; each hands over to the library.</summary>
public sealed class PortfolioFunctions(PortfolioEndpoints endpoints, PortfolioPages pages, EngagementPage engagementPage, StaffForms forms, OnboardingPage onboarding)
{
    [Function("ListPortfolio")]
    public Task<IResult> ListPortfolio(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PortfolioEndpoints.Route)] HttpRequest request) =>
        endpoints.ListAsync(request, request.HttpContext.RequestAborted);

    [Function("ListMyWork")]
    public Task<IResult> ListMyWork(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PortfolioEndpoints.MyWorkRoute)] HttpRequest request) =>
        endpoints.MyWorkAsync(request, request.HttpContext.RequestAborted);

    [Function("ExportPortfolioCsv")]
    public Task<IResult> ExportPortfolioCsv(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PortfolioEndpoints.CsvRoute)] HttpRequest request) =>
        endpoints.ExportAsync(request, request.HttpContext.RequestAborted);

    [Function("GetPortfolioPage")]
    public Task<IResult> GetPortfolioPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PortfolioPages.PortfolioRoute)] HttpRequest request) =>
        pages.PortfolioAsync(request, request.HttpContext.RequestAborted);

    [Function("GetMyWorkPage")]
    public Task<IResult> GetMyWorkPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PortfolioPages.MyWorkRoute)] HttpRequest request) =>
        pages.MyWorkAsync(request, request.HttpContext.RequestAborted);

    [Function("GetEngagementPage")]
    public Task<IResult> GetEngagementPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = EngagementPage.Route)] HttpRequest request,
        string engagementId) =>
        engagementPage.GetAsync(request, engagementId, request.HttpContext.RequestAborted);

    [Function("PostEngagementForm")]
    public Task<IResult> PostEngagementForm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = StaffForms.Route)] HttpRequest request,
        string engagementId,
        string form,
        [DurableClient] DurableTaskClient durable) =>
        forms.PostAsync(request, engagementId, form, durable, request.HttpContext.RequestAborted);

    [Function("GetOnboardingPage")]
    public Task<IResult> GetOnboardingPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = OnboardingPage.Route)] HttpRequest request) =>
        onboarding.GetAsync(request, request.HttpContext.RequestAborted);

    [Function("PostOnboardingForm")]
    public Task<IResult> PostOnboardingForm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = OnboardingPage.Route)] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        onboarding.PostAsync(request, durable, request.HttpContext.RequestAborted);
}
