namespace Dsh.Cli.Progress;

/// <summary>Where a command shows what it is doing: live bars on a terminal, plain lines otherwise.</summary>
internal interface IProgressSink
{
    /// <summary>Starts a task with <paramref name="total"/> units of work; 0 for a task of unknown length (a spinner).</summary>
    IProgressTask AddTask(string name, double total);

    /// <summary>A one-off line (a phase change, a warning).</summary>
    void Message(string line);
}

/// <summary>One task of an <see cref="IProgressSink"/>.</summary>
internal interface IProgressTask
{
    /// <summary>Sets the units done and the detail shown after the task's name.</summary>
    void Update(double value, string? detail = null);

    /// <summary>Changes the total (when it becomes known).</summary>
    void SetTotal(double total);

    /// <summary>Marks the task done, with a last detail.</summary>
    void Complete(string? detail = null);
}
