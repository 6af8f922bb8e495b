from sdesk.cli import main

raise SystemExit(main())
