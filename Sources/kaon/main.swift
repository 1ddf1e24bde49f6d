import KaonCLI

KaonCommand.main()
