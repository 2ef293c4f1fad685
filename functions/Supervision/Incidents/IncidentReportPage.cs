using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Supervision.Domain.Common;
using Supervision.Domain.Incidents;
using Supervision.Http;
using Supervision.Kernel;
using Supervision.Vendors;

namespace Supervision.Incidents;

/// <summary>
/// The page a tier reports an incident on (ja/en), reached through the link of its standing request, and the call the
/// page makes. A link reports for its own tier only.
/// </summary>
public sealed class IncidentReportPage(VendorRequests requests, EngagementStore engagements, IncidentIntake intake, LiquidPages pages) : IRequestPage
{
    public const string SubmitRoute = "api/vendor/{token}/incidents";

    public string Kind => IncidentEndpoints.LinkRequestKind;

    public async Task<IResult> RenderAsync(LinkCheck check, string token, Language language, string nonce, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        VendorRequestRecord request = check.Request!;
        EngagementRecord engagement = await engagements.GetAsync(request.PartitionKey, cancellationToken)
            ?? throw new InvalidOperationException($"Engagement {request.PartitionKey} does not exist.");
        IReadOnlyDictionary<string, string> text = IncidentPageText.For(language);
        string html = await pages.RenderAsync("incident-report", new
        {
            t = text,
            nonce,
            api = $"/api/vendor/{token}/incidents",
            open_requests = VendorPages.OpenRequestsPath(token),
            open_requests_link = VendorPageText.For(language)["open_requests_link"],
            company = request.RecipientOrganisation ?? engagement.ContractorName,
            items = engagement.Terms()?.DataItems ?? [],
            kinds = Enum.GetValues<IncidentKind>().Select(kind => new { id = Camel(kind.ToString()), text = text[$"kind_{Camel(kind.ToString())}"] }).ToList(),
        });
        return TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8);
    }

    /// <summary><c>POST /api/vendor/{token}/incidents</c>: the page's report, for the link's own tier.</summary>
    public async Task<IResult> SubmitAsync(HttpRequest request, string token, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        PageCall<IncidentDraft> call = await PageCalls.AdmitAsync<IncidentDraft>(requests, request, token, IncidentEndpoints.LinkRequestKind, cancellationToken);
        if (call.Problem is not null)
            return call.Problem;
        IntakeResult result = await intake.TakeAsync(
            call.Request!.PartitionKey, call.Body!, new IncidentReporter(call.Actor!, call.IdempotencyScope, call.Tier), call.IdempotencyKey, durable, cancellationToken);
        return result.Problem ?? TypedResults.Accepted((string?)null, new { id = result.Incident!.IncidentId, noticeLate = result.Incident.NoticeLate });
    }

    private static string Camel(string name) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(name);
}

/// <summary>Every word the incident page says, in Japanese and English.</summary>
public static class IncidentPageText
{
    private static readonly Dictionary<string, string> Ja = new(StringComparer.Ordinal)
    {
        ["lang"] = "ja",
        ["other_lang"] = "en",
        ["other_lang_name"] = "English",
        ["page_title"] = "個人情報の事故の報告",
        ["intro"] = "お預けしている個人情報の漏えい・紛失・毀損・誤送付が起きた場合、またはその疑いがある場合は、わかっている範囲で直ちにご報告ください。詳細は後からでも構いません。",
        ["reporter"] = "報告元",
        ["kind"] = "事故の種類",
        ["kind_leak"] = "漏えい",
        ["kind_loss"] = "紛失（滅失）",
        ["kind_damage"] = "毀損",
        ["kind_misdelivery"] = "誤送付・誤配送",
        ["description"] = "何が起きたか",
        ["happened_at"] = "発生日時",
        ["learned_at"] = "事故を知った日時",
        ["data_items"] = "関係する個人情報の項目",
        ["people_affected"] = "対象となる人数",
        ["carrier"] = "運送事業者（郵便・宅配便など、該当する場合）",
        ["sensitive"] = "要配慮個人情報を含む",
        ["financial"] = "財産的被害が生じるおそれがある",
        ["wrongful"] = "不正な目的によるおそれがある（不正アクセス、従業者による持ち出しなど）",
        ["encrypted"] = "高度な暗号化で保護されていた",
        ["secrecy"] = "通信の秘密に該当する情報を含む",
        ["yes"] = "はい",
        ["no"] = "いいえ",
        ["submit"] = "報告する",
        ["submitted"] = "ご報告を受け付けました。担当者からご連絡いたします。",
        ["refused"] = "報告を受け付けられませんでした。",
    };

    private static readonly Dictionary<string, string> En = new(StringComparer.Ordinal)
    {
        ["lang"] = "en",
        ["other_lang"] = "ja",
        ["other_lang_name"] = "日本語",
        ["page_title"] = "Report a personal data incident",
        ["intro"] = "If personal data entrusted to you is leaked, lost, damaged or misdelivered — or you suspect it — report what you know now. Details can follow.",
        ["reporter"] = "Reported by",
        ["kind"] = "What happened",
        ["kind_leak"] = "Leak",
        ["kind_loss"] = "Loss",
        ["kind_damage"] = "Damage",
        ["kind_misdelivery"] = "Misdelivery",
        ["description"] = "Description",
        ["happened_at"] = "When it happened",
        ["learned_at"] = "When you learned of it",
        ["data_items"] = "Items of personal data involved",
        ["people_affected"] = "Number of people affected",
        ["carrier"] = "Carrier (postal service, courier), if any",
        ["sensitive"] = "Includes sensitive personal data",
        ["financial"] = "Financial damage may follow",
        ["wrongful"] = "May have been done with a wrongful purpose (unauthorised access, an insider taking data out)",
        ["encrypted"] = "The data was protected by strong encryption",
        ["secrecy"] = "Includes information under the secrecy of communications",
        ["yes"] = "Yes",
        ["no"] = "No",
        ["submit"] = "Report",
        ["submitted"] = "Your report was received. We will contact you.",
        ["refused"] = "The report could not be accepted.",
    };

    public static IReadOnlyDictionary<string, string> For(Language language) => language == Language.Ja ? Ja : En;
}
