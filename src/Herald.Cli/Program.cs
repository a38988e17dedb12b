using Herald.Cli;

return await HeraldCommandLine.InvokeAsync(args, Console.Out, Console.Error);
