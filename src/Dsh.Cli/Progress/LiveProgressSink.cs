using Spectre.Console;

namespace Dsh.Cli.Progress;

/// <summary>Progress as Spectre.Console bars (name, bar, percentage, elapsed, remaining time) on a terminal.</summary>
internal sealed class LiveProgressSink(ProgressContext context, IAnsiConsole console) : IProgressSink
{
    public IProgressTask AddTask(string name, double total)
    {
        ProgressTask task = context.AddTask(Markup.Escape(name), maxValue: Math.Max(total, 1));
        task.IsIndeterminate = total <= 0;
        return new LiveTask(task, name);
    }

    public void Message(string line) => console.MarkupLine("[grey]" + Markup.Escape(line) + "[/]");

    private sealed class LiveTask(ProgressTask task, string name) : IProgressTask
    {
        public void Update(double value, string? detail = null)
        {
            task.Value = Math.Min(value, task.MaxValue);
            if (detail is not null)
            {
                task.Description = Markup.Escape(name) + " [grey]" + Markup.Escape(detail) + "[/]";
            }
        }

        public void SetTotal(double total) => task.MaxValue = Math.Max(total, 1);

        public void Complete(string? detail = null)
        {
            task.IsIndeterminate = false;
            Update(task.MaxValue, detail);
            task.StopTask();
        }
    }
}
