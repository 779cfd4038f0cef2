from argoplane.cli.main import main

raise SystemExit(main())
