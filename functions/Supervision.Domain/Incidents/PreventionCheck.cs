using Supervision.Domain.Vendors;

namespace Supervision.Domain.Incidents;

/// <summary>
/// The prevention check of 7-4: the contractor confirms, for its staff on the work, that no file-sharing software (Winny
/// and the like) is on the PCs that touch the work or on their home PCs, that no infection such as W32/Antinny was found,
/// that no leak was found, and that staff were told what to do if one is. Any answer but "clean" is treated as an incident.
/// </summary>
public static class PreventionCheck
{
    public const string WorkPcs = "p2p.work-pcs-clean";
    public const string HomePcs = "p2p.home-pcs-clean";
    public const string Infection = "malware.none-found";
    public const string NoLeak = "leak.none-found";
    public const string StaffTold = "staff.told-what-to-do";
    public const string Details = "details";

    public static IReadOnlyList<Question> Questions { get; } =
    [
        new(WorkPcs, "業務で使用するPCに、ファイル共有ソフト（Winny、Share等）がインストールされていないことを確認しましたか", "Have you confirmed that no file-sharing software (Winny, Share and the like) is installed on the PCs used for the work?", QuestionKind.YesNo),
        new(HomePcs, "従業者の自宅PCに、ファイル共有ソフトがインストールされていないことを確認しましたか", "Have you confirmed that no file-sharing software is installed on your staff's home PCs?", QuestionKind.YesNo),
        new(Infection, "W32/Antinny 等の暴露ウイルスへの感染がないことを確認しましたか", "Have you confirmed that no PC is infected with W32/Antinny or similar data-exposing malware?", QuestionKind.YesNo),
        new(NoLeak, "情報の漏えいが見つかっていないことを確認しましたか", "Have you confirmed that no leak of information has been found?", QuestionKind.YesNo),
        new(StaffTold, "漏えい等が起きた場合の対応を従業者に周知しましたか", "Have your staff been told what to do if a leak happens?", QuestionKind.YesNo),
        new(Details, "詳細（「いいえ」がある場合はその内容）", "Details (what was found, if any answer is no)", QuestionKind.Text, Required: false),
    ];

    /// <summary>The questions not answered "clean" (yes), in the order asked: empty when the check is clean.</summary>
    public static IReadOnlyList<string> Findings(IReadOnlyDictionary<string, string?> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        return [.. Questions.Where(question => question.Kind == QuestionKind.YesNo && answers.GetValueOrDefault(question.Id) != "yes").Select(question => question.Id)];
    }
}
