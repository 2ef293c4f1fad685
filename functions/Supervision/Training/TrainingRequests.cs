using System.Globalization;
using Microsoft.DurableTask;
using Supervision.Domain.Common;
using Supervision.Domain.Vendors;
using Supervision.Kernel;
using Supervision.Vendors;

namespace Supervision.Training;

/// <summary>What the training requests ask (5-1 ① the plan, ② each session's result, 5-2 the roster's consent).</summary>
public static class TrainingRequests
{
    public const string PlanKind = "training-plan";
    public const string ResultKind = "training-result";
    public const string PlanPrefix = "training|plan|";
    public const string ResultPrefix = "training|result|";
    public const string KeyPrefix = "training|";

    public const string Topics = "topics";
    public const string Format = "format";
    public const string Audience = "audience";
    public const string PlannedDates = "plannedDates";
    public const string ResultCheck = "resultCheck";

    public const string HeldOn = "heldOn";
    public const string Content = "content";
    public const string Attendance = "attendance";
    public const string TestTakers = "testTakers";
    public const string TestPassed = "testPassed";
    public const string HasNamedRoster = "hasNamedRoster";
    public const string RosterConsentConfirmed = "rosterConsentConfirmed";

    public static IReadOnlyList<Question> PlanQuestions { get; } =
    [
        new(Topics, "研修で扱う内容（1行に1項目）", "What the training teaches (one topic a line)", QuestionKind.Text),
        new(Format, "実施形式（集合研修、eラーニング等）", "The format (classroom, e-learning, …)", QuestionKind.Text),
        new(Audience, "対象者", "Who attends", QuestionKind.Text),
        new(PlannedDates, "実施予定日（yyyy-MM-dd、複数は改行またはカンマ区切り）", "The planned dates (yyyy-MM-dd, several separated by lines or commas)", QuestionKind.Text),
        new(ResultCheck, "理解度の確認方法（確認テスト等）", "How the result is checked (a test, for instance)", QuestionKind.Text),
    ];

    public static IReadOnlyList<Question> ResultQuestions { get; } =
    [
        new(HeldOn, "実施日", "The date it was held", QuestionKind.Date),
        new(Content, "実施内容", "What was taught", QuestionKind.Text),
        new(Attendance, "受講者数", "How many attended", QuestionKind.Text),
        new(TestTakers, "確認テストの受験者数（実施した場合）", "How many took the check test (if one was given)", QuestionKind.Text, Required: false),
        new(TestPassed, "確認テストの合格者数（実施した場合）", "How many passed it (if one was given)", QuestionKind.Text, Required: false),
        new(HasNamedRoster, "受講者の氏名入り名簿を添付しますか", "Is a roster of named attendees attached?", QuestionKind.YesNo),
        new(
            RosterConsentConfirmed,
            "名簿を添付する場合、受講者に利用目的を通知し、委託元へ提供することについて事前に同意を得ましたか（5-2）",
            "If a roster is attached: were the attendees told the purpose and did they consent beforehand to it going to the principal (5-2)?",
            QuestionKind.YesNo,
            Required: false),
    ];

    public static IReadOnlyList<string> ResultEvidence(Language language) =>
        [language == Language.Ja ? "確認テストの結果、または（受講者の同意がある場合に限り）受講者名簿" : "The check test's results or, only with the attendees' consent, the roster of named attendees"];
}

/// <summary>Opens the training plan request and mails its link, once; records it as asked.</summary>
public sealed class OpenTrainingPlanRequest(RequestMail mail, ContractorDutyStore duties, TimeProvider time) : TaskActivity<DutyRequestInput, OpenedRequest>
{
    public override Task<OpenedRequest> RunAsync(TaskActivityContext context, DutyRequestInput input) =>
        DutyRequests.OpenAsync(mail, duties, time, input, _ => new DutyAsk(
            TrainingRequests.PlanKind,
            "従業者への個人情報保護研修の実施計画のご提出",
            "Your plan for training staff in handling personal information",
            TrainingRequests.PlanQuestions,
            [],
            TrainingWorkflowInput.InstanceId(input.EngagementId),
            TrainingRequests.PlanPrefix + input.RequestId));
}

/// <summary>Opens the request for one session's result and mails its link, once; records it as asked.</summary>
public sealed class OpenTrainingResultRequest(RequestMail mail, ContractorDutyStore duties, TimeProvider time) : TaskActivity<DutyRequestInput, OpenedRequest>
{
    public override Task<OpenedRequest> RunAsync(TaskActivityContext context, DutyRequestInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        string session = input.For?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty;
        return DutyRequests.OpenAsync(mail, duties, time, input, language => new DutyAsk(
            TrainingRequests.ResultKind,
            $"個人情報保護研修（{session}予定分）の実施結果のご報告",
            $"The result of the training planned for {session}",
            TrainingRequests.ResultQuestions,
            TrainingRequests.ResultEvidence(language),
            TrainingWorkflowInput.InstanceId(input.EngagementId),
            TrainingRequests.ResultPrefix + input.RequestId,
            session));
    }
}
