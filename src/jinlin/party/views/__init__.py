"""Pages of the Party network: the tree, the proposal and its diff, coverage, members
(network.py), a group with its households and meetings (groups.py), an organisation's posts
(posts.py), and the 亮身份 placards (placards.py)."""
